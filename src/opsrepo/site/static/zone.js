// One time-zone rule for the whole site: every <time data-local> is shown in the viewer's zone (the
// browser's, or the one picked in the zone selector, kept in localStorage), the page says which, and
// each time's title keeps the schedule's own zone (the build wrote it). Times marked data-relative also
// say how far they are from now ("in 13 h"). Without JavaScript the times stay in the zone the page names.
"use strict";

(function () {
  var KEY = "opsrepo-zone";

  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (error) { return "UTC"; }
  }

  function valid(zone) {
    if (!zone) return false;
    try { new Intl.DateTimeFormat("en-GB", { timeZone: zone }); return true; } catch (error) { return false; }
  }

  function chosen() {
    var zone = null;
    try { zone = window.localStorage.getItem(KEY); } catch (error) { zone = null; }
    return valid(zone) ? zone : browserZone();
  }

  function partsIn(locale, seconds, zone, options) {
    var found = {};
    new Intl.DateTimeFormat(locale, Object.assign({ timeZone: zone, hourCycle: "h23" }, options))
      .formatToParts(new Date(seconds * 1000)).forEach(function (part) { found[part.type] = part.value; });
    return found;
  }

  // en-GB's parts; the zone's abbreviation as Python's tzname() writes it where a locale knows one
  // (en-GB says CET and BST but GMT-5, en-US says EST but GMT+1)
  function parts(seconds, zone, options) {
    var found = partsIn("en-GB", seconds, zone, options);
    if (found.timeZoneName && /^GMT[+-]/.test(found.timeZoneName)) {
      var american = partsIn("en-US", seconds, zone, { timeZoneName: "short" }).timeZoneName;
      if (american && !/^GMT/.test(american)) found.timeZoneName = american;
    }
    if (found.timeZoneName === "GMT" && zone === "UTC") found.timeZoneName = "UTC";
    return found;
  }

  // "Mon 23 Nov, 10:00 CET": site/format.py's short()
  function format(seconds, zone) {
    var p = parts(seconds, zone, { weekday: "short", day: "numeric", month: "short", hour: "2-digit",
                                   minute: "2-digit", timeZoneName: "short" });
    return p.weekday + " " + p.day + " " + p.month + ", " + p.hour + ":" + p.minute + " " + p.timeZoneName;
  }

  // "Mon 09:00 CET": when off hours end
  function weekdayTime(seconds, zone) {
    var p = parts(seconds, zone, { weekday: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
    return p.weekday + " " + p.hour + ":" + p.minute + " " + p.timeZoneName;
  }

  // "in 13 h", "in 25 min", "in 3 days", "2 h ago", "now"
  function relative(seconds, now) {
    var delta = seconds - now, minutes = Math.floor(Math.abs(delta) / 60), text;
    if (minutes < 1) return "now";
    if (minutes < 60) text = minutes + " min";
    else if (minutes < 48 * 60) text = Math.floor(minutes / 60) + " h";
    else text = Math.floor(minutes / 1440) + " days";
    return delta > 0 ? "in " + text : text + " ago";
  }

  function secondsOf(node) {
    var value = Date.parse(node.getAttribute("datetime"));
    return isNaN(value) ? null : value / 1000;
  }

  // a <time> in the viewer's zone, its title in the schedule's (when given), "(in 13 h)" when relative
  function show(node, seconds, zone, home, now) {
    var text = format(seconds, zone);
    if (home && !node.title) node.title = format(seconds, home) + " (" + home + ")";
    if (node.hasAttribute("data-relative")) text += " (" + relative(seconds, now) + ")";
    node.textContent = text;
  }

  function refresh() {
    var zone = current(), now = Date.now() / 1000;
    document.querySelectorAll("time[data-local]").forEach(function (node) {
      var seconds = secondsOf(node);
      if (seconds !== null) show(node, seconds, zone, null, now);
    });
    document.querySelectorAll("[data-zone-label]").forEach(function (node) {
      node.textContent = "Times in " + (zone === browserZone() ? "your time zone, " + zone : zone) + ".";
    });
  }

  function fillSelect(select) {
    var zones = [browserZone(), "UTC"];
    (select.getAttribute("data-zones") || "").split(" ").forEach(function (zone) { if (zone) zones.push(zone); });
    var selected = current();
    if (zones.indexOf(selected) < 0) zones.push(selected);
    zones.filter(function (zone, index) { return zones.indexOf(zone) === index && valid(zone); })
      .forEach(function (zone) {
        var option = document.createElement("option");
        option.value = zone;
        option.textContent = zone === browserZone() ? zone + " (your browser)" : zone;
        option.selected = zone === selected;
        select.appendChild(option);
      });
    select.addEventListener("change", function () {
      try { window.localStorage.setItem(KEY, select.value); } catch (error) { /* private mode: this page only */ }
      pick(select.value);
    });
  }

  var picked = null;
  function current() { return picked && valid(picked) ? picked : chosen(); }

  function pick(zone) {
    picked = zone;
    refresh();
    document.dispatchEvent(new CustomEvent("opsrepo:zone", { detail: { zone: zone } }));
  }

  function start() {
    document.querySelectorAll("select[data-zone-select]").forEach(fillSelect);
    document.querySelectorAll("[data-zone-pick]").forEach(function (node) { node.hidden = false; });
    refresh();
    setInterval(refresh, 60000);
  }

  var api = { browserZone: browserZone, format: format, relative: relative, weekdayTime: weekdayTime,
              show: show, zone: current };
  if (typeof document === "undefined") {  // node, in the tests: the pure helpers only
    module.exports = api;
    return;
  }
  window.opsrepoTime = api;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
