// Who is on call *now*, computed in the browser from the shifts the page carries,
// so a page built yesterday is still right today. Without JavaScript the page
// shows who was on call when it was built.
"use strict";

(function () {
  function readData() {
    var node = document.querySelector("script[data-oncall-data]");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  function format(seconds, zone) {
    if (window.opsrepoTime && zone) return window.opsrepoTime.format(seconds, zone);
    var options = { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
                    hourCycle: "h23", timeZone: zone, timeZoneName: "short" };
    try {
      return new Intl.DateTimeFormat("en-GB", options).format(new Date(seconds * 1000));
    } catch (error) {
      return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
    }
  }

  function personNode(people, id) {
    var entry = people[id];
    if (!entry) return document.createTextNode(id);
    if (!entry[1]) return document.createTextNode(entry[0]);
    var link = document.createElement("a");
    link.href = entry[1];
    link.textContent = entry[0];
    return link;
  }

  // the viewer's zone (zone.js: the browser's or the one picked), else the schedule's
  function viewerZone(fallback) {
    return window.opsrepoTime ? window.opsrepoTime.zone() : fallback;
  }

  // a time in the viewer's zone, titled with the schedule's, and how far from now it is
  function timeNode(seconds, zone, nowSeconds) {
    var node = document.createElement("time");
    node.dateTime = new Date(seconds * 1000).toISOString();
    if (window.opsrepoTime) {
      node.setAttribute("data-relative", "");
      window.opsrepoTime.show(node, seconds, viewerZone(zone), zone, nowSeconds);
    } else {
      node.textContent = format(seconds, zone);
    }
    return node;
  }

  // declared coverage in the page's data: "24x7", "none", or [[start, end], ...] in seconds
  function insideCoverage(coverage, seconds) {
    if (coverage === "24x7" || coverage === undefined) return true;
    if (coverage === "none") return false;
    return coverage.some(function (span) { return span[0] <= seconds && seconds < span[1]; });
  }

  // nobody on call: a red gap inside declared coverage; outside it, off hours in neutral colours
  function nobodyNodes(schedule, nowSeconds, gapText) {
    if (insideCoverage(schedule.coverage, nowSeconds)) return [gapNode(gapText)];
    var span = document.createElement("span");
    span.className = "off";
    if (schedule.coverage === "none") {
      span.textContent = "off hours (no coverage declared)";
      return [span];
    }
    var resumes = null;
    for (var i = 0; i < schedule.coverage.length; i += 1) {
      if (schedule.coverage[i][0] > nowSeconds) { resumes = schedule.coverage[i][0]; break; }
    }
    if (resumes === null) {
      span.textContent = "off hours";
      return [span];
    }
    var zone = viewerZone(schedule.zone);
    var when = document.createElement("time");
    when.dateTime = new Date(resumes * 1000).toISOString();
    when.title = format(resumes, schedule.zone) + " (" + schedule.zone + ")";
    when.textContent = window.opsrepoTime
      ? window.opsrepoTime.weekdayTime(resumes, zone) + " (" + window.opsrepoTime.relative(resumes, nowSeconds) + ")"
      : format(resumes, zone);
    span.appendChild(document.createTextNode("off hours, coverage resumes "));
    span.appendChild(when);
    return [span];
  }

  function fill(cell, nodes) {
    if (!cell) return;
    while (cell.firstChild) cell.removeChild(cell.firstChild);
    nodes.forEach(function (node) { cell.appendChild(node); });
  }

  function gapNode(text) {
    var span = document.createElement("span");
    span.className = "gap";
    span.textContent = text;
    return span;
  }

  function shiftAt(schedule, seconds) {
    for (var i = 0; i < schedule.shifts.length; i += 1) {
      var shift = schedule.shifts[i];
      if (shift[0] <= seconds && seconds < shift[1]) return shift;
      if (shift[0] > seconds) break;
    }
    return null;
  }

  // "5 min", "1 h 30 min", "2 days", "1 week": site/format.py's duration()
  function durationText(seconds) {
    var minutes = Math.floor(seconds / 60), parts = [];
    if (minutes && minutes % 1440 === 0 && (minutes / 1440) % 7) {
      return (minutes / 1440) + (minutes === 1440 ? " day" : " days");
    }
    [[10080, "week", "weeks"], [1440, "day", "days"], [60, "h", "h"], [1, "min", "min"]].forEach(function (unit) {
      var count = Math.floor(minutes / unit[0]);
      minutes -= count * unit[0];
      if (count) parts.push(count + " " + (count === 1 ? unit[1] : unit[2]));
    });
    return parts.length ? parts.slice(0, 2).join(" ") : (seconds ? Math.floor(seconds) + " s" : "0 min");
  }

  // when_nobody: skip -- a step that reaches nobody hands over at once, so the steps after it move
  // earlier; steps[i].wait in seconds, reaches(i, offset) says whether step i reaches anyone then
  function skipOffsets(steps, reaches) {
    var offsets = [], offset = 0;
    for (var i = 0; i < steps.length; i += 1) {
      offsets.push(offset);
      if (reaches(i, offset)) offset += steps[i].wait;
    }
    return offsets;
  }

  function placeSkippingSteps(data, byId, nowSeconds) {
    document.querySelectorAll('ol.timeline[data-when-nobody="skip"]').forEach(function (list) {
      var items = Array.prototype.filter.call(list.children, function (node) { return node.tagName === "LI"; });
      var steps = items.map(function (item) { return { wait: Number(item.getAttribute("data-wait") || 0) }; });
      var offsets = skipOffsets(steps, function (i, offset) {
        if (items[i].hasAttribute("data-always")) return true;
        var at = nowSeconds + offset;
        return Array.prototype.some.call(items[i].querySelectorAll("[data-oncall-at]"), function (node) {
          var schedule = byId[node.getAttribute("data-oncall-at")];
          return at >= data.until || Boolean(schedule && shiftAt(schedule, at));
        });
      });
      items.forEach(function (item, i) {
        item.querySelectorAll("[data-oncall-at]").forEach(function (node) {
          node.setAttribute("data-offset", String(offsets[i] / 60));
        });
        var label = item.querySelector(".offset");
        if (label) label.textContent = offsets[i] ? "+" + durationText(offsets[i]) : "at once";
      });
    });
  }

  // escalation timelines: who a schedule target reaches at now + the level's offset
  function updateTargets(data, byId, nowSeconds) {
    placeSkippingSteps(data, byId, nowSeconds);
    document.querySelectorAll("[data-oncall-at]").forEach(function (node) {
      var schedule = byId[node.getAttribute("data-oncall-at")];
      if (!schedule) return;
      var at = nowSeconds + 60 * Number(node.getAttribute("data-offset") || 0);
      var shift = shiftAt(schedule, at);
      fill(node, at >= data.until ? [gapNode("unknown: the site is out of date")]
        : shift ? [personNode(data.people, shift[2])] : nobodyNodes(schedule, at, "nobody (coverage gap)"));
    });
  }

  function update(data, nowSeconds) {
    var byId = {};
    data.schedules.forEach(function (schedule) { byId[schedule.id] = schedule; });
    updateTargets(data, byId, nowSeconds);
    document.querySelectorAll("tr[data-schedule]").forEach(function (row) {
      var schedule = byId[row.getAttribute("data-schedule")];
      if (!schedule) return;
      var current = null, next = null;
      for (var i = 0; i < schedule.shifts.length; i += 1) {
        var shift = schedule.shifts[i];
        if (shift[0] <= nowSeconds && nowSeconds < shift[1]) current = shift;
        if (shift[0] > nowSeconds) { next = shift; break; }
      }
      var known = nowSeconds < data.until;
      fill(row.querySelector('[data-cell="now"]'),
           current ? [personNode(data.people, current[2])]
                   : known ? nobodyNodes(schedule, nowSeconds, "nobody (coverage gap)")
                           : [gapNode("unknown: the site is out of date")]);
      fill(row.querySelector('[data-cell="until"]'),
           current ? [timeNode(current[1], schedule.zone, nowSeconds)] : []);
      fill(row.querySelector('[data-cell="next"]'), next
        ? [personNode(data.people, next[2]), document.createTextNode(" from "),
           timeNode(next[0], schedule.zone, nowSeconds)]
        : []);
    });
    var status = document.querySelector("p.asof[data-oncall-status]");
    if (status) {
      var expired = nowSeconds >= data.until;
      status.className = "asof " + (expired ? "expired" : "live");
      status.textContent = expired
        ? "This site's schedule data ended " + format(data.until, undefined) + ": rebuild the site (opsrepo build)."
        : "Live: now is " + format(nowSeconds, viewerZone(undefined)) + " (" + (window.opsrepoTime
          ? "times in " + viewerZone(undefined) : "your time") + "), from the schedules in the repo.";
    }
  }

  function start() {
    var data = readData();
    if (!data || !data.schedules) return;
    var tick = function () { update(data, Math.floor(Date.now() / 1000)); };
    tick();
    setInterval(tick, 30000);
    document.addEventListener("opsrepo:zone", tick);
  }

  if (typeof document === "undefined") {  // node, in the tests: the pure helpers only
    module.exports = { durationText: durationText, skipOffsets: skipOffsets, insideCoverage: insideCoverage };
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
