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

  function timeNode(seconds, zone) {
    var node = document.createElement("time");
    node.dateTime = new Date(seconds * 1000).toISOString();
    node.textContent = format(seconds, zone);
    return node;
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

  // escalation timelines: who a schedule target reaches at now + the level's offset
  function updateTargets(data, byId, nowSeconds) {
    document.querySelectorAll("[data-oncall-at]").forEach(function (node) {
      var schedule = byId[node.getAttribute("data-oncall-at")];
      if (!schedule) return;
      var at = nowSeconds + 60 * Number(node.getAttribute("data-offset") || 0);
      var shift = shiftAt(schedule, at);
      fill(node, at >= data.until ? [gapNode("unknown: the site is out of date")]
        : shift ? [personNode(data.people, shift[2])] : [gapNode("nobody (coverage gap)")]);
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
                   : [gapNode(known ? "nobody (coverage gap)" : "unknown: the site is out of date")]);
      fill(row.querySelector('[data-cell="until"]'), current ? [timeNode(current[1], schedule.zone)] : []);
      fill(row.querySelector('[data-cell="next"]'), next
        ? [personNode(data.people, next[2]), document.createTextNode(" from "), timeNode(next[0], schedule.zone)]
        : []);
    });
    var status = document.querySelector("p.asof[data-oncall-status]");
    if (status) {
      var expired = nowSeconds >= data.until;
      status.className = "asof " + (expired ? "expired" : "live");
      status.textContent = expired
        ? "This site's schedule data ended " + format(data.until, undefined) + ": rebuild the site (opsrepo build)."
        : "Live: now is " + format(nowSeconds, undefined) + " (your time), from the schedules in the repo.";
    }
  }

  function start() {
    var data = readData();
    if (!data || !data.schedules) return;
    var tick = function () { update(data, Math.floor(Date.now() / 1000)); };
    tick();
    setInterval(tick, 30000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
