/* 示范市民政局政府信息公开: progressive enhancement only. Every page works without this file.
 *
 * Loaded in <head> without `defer`, so that the first part applies the remembered display mode
 * (大字模式, 高对比度) before the page is painted: no flash of the standard layout. The rest waits
 * for the document:
 *  - the header's display-mode links (#large-text, #high-contrast) become toggle buttons with
 *    aria-pressed; the choice is kept in localStorage and applies on every page;
 *  - 语音朗读: a [data-read-aloud] box gets start / pause / resume / stop buttons that read the
 *    page title and the main text ([data-read-aloud-target] elements, else #article-body) with the
 *    browser's own speechSynthesis. Without speechSynthesis the box stays hidden.
 * Plain ES5 on purpose: the readers' phones are often old.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var KEYS = { text: "a11y-text", contrast: "a11y-contrast" };
  var ON = { text: "large", contrast: "high" };
  var FROM_HASH = { "#large-text": "text", "#high-contrast": "contrast" };

  function load(mode) {
    try { return window.localStorage.getItem(KEYS[mode]); } catch (e) { return null; }
  }
  function save(mode, value) {
    try { window.localStorage.setItem(KEYS[mode], value); } catch (e) { /* private mode: this page only */ }
  }
  function apply(mode, value) {
    if (value) { root.setAttribute("data-" + mode, value); } else { root.removeAttribute("data-" + mode); }
  }
  function isOn(mode) {
    var value = root.getAttribute("data-" + mode);
    if (value) { return value === ON[mode]; }
    return mode === "contrast" && !!window.matchMedia && window.matchMedia("(prefers-contrast: more)").matches;
  }

  // 1. Before the first paint. The .js class switches off the no-JavaScript :target rules.
  root.className += (root.className ? " " : "") + "js";
  var hashMode = FROM_HASH[window.location.hash];
  if (hashMode) { save(hashMode, ON[hashMode]); } // a link to #large-text turns the mode on
  var current = {};
  current.text = load("text");
  current.contrast = load("contrast");
  if (hashMode) { current[hashMode] = ON[hashMode]; }
  apply("text", current.text);
  apply("contrast", current.contrast);

  // 2. Once the document is there.
  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  function setupDisplayModes() {
    if (hashMode && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    var buttons = [];
    var links = document.querySelectorAll(".display-modes a.mode-switch");
    for (var i = 0; i < links.length; i++) {
      buttons.push(makeToggle(links[i]));
    }
    var resets = document.querySelectorAll(".display-modes .mode-reset");
    for (var j = 0; j < resets.length; j++) { resets[j].parentNode.removeChild(resets[j]); }
    // Another tab changed the mode: follow it.
    window.addEventListener("storage", function (event) {
      for (var k = 0; k < buttons.length; k++) {
        var mode = buttons[k].getAttribute("data-mode");
        if (event.key === KEYS[mode]) {
          apply(mode, event.newValue);
          buttons[k].setAttribute("aria-pressed", String(isOn(mode)));
        }
      }
    });
  }

  function makeToggle(link) {
    var mode = link.getAttribute("data-mode");
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("data-mode", mode);
    button.textContent = link.textContent;
    button.setAttribute("aria-pressed", String(isOn(mode)));
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      var value = on ? ON[mode] : "standard";
      save(mode, value);
      apply(mode, value);
      button.setAttribute("aria-pressed", String(on));
    });
    link.parentNode.replaceChild(button, link);
    return button;
  }

  // 语音朗读 ------------------------------------------------------------------------------------
  var SENTENCE = /[^。！？!?；;]+[。！？!?；;]*[”’」』）)]*/g;
  var CHUNK = 120; // characters per utterance: some engines stop long utterances half-way

  function textToRead() {
    var parts = [];
    var heading = document.querySelector("main h1");
    if (heading) { parts.push(heading.innerText + "。"); }
    var targets = document.querySelectorAll("[data-read-aloud-target]");
    if (!targets.length) {
      var body = document.getElementById("article-body");
      targets = body ? [body] : [];
    }
    for (var i = 0; i < targets.length; i++) { parts.push(targets[i].innerText); }
    return parts.join("\n");
  }

  function chunks(text) {
    var out = [];
    var paragraphs = text.split(/\n+/);
    for (var i = 0; i < paragraphs.length; i++) {
      var sentences = paragraphs[i].replace(/\s+/g, " ").match(SENTENCE) || [];
      var piece = "";
      for (var j = 0; j < sentences.length; j++) {
        var sentence = sentences[j].trim();
        if (!sentence) { continue; }
        if (piece && piece.length + sentence.length > CHUNK) { out.push(piece); piece = ""; }
        while (sentence.length > CHUNK) { out.push(sentence.slice(0, CHUNK)); sentence = sentence.slice(CHUNK); }
        piece += sentence;
      }
      if (piece.trim()) { out.push(piece); }
    }
    return out;
  }

  // The page's language (zh-CN) before any Chinese; a voice of the device before a network one.
  function chineseVoice(synth) {
    var voices = synth.getVoices ? synth.getVoices() : [];
    var lang = (root.lang || "zh-CN").toLowerCase();
    var best = null;
    var bestScore = 0;
    for (var i = 0; i < voices.length; i++) {
      var voiceLang = (voices[i].lang || "").replace("_", "-").toLowerCase();
      var score = voiceLang === lang ? 2 : voiceLang.indexOf("zh") === 0 ? 1 : 0;
      if (score && voices[i].localService) { score += 2; }
      if (score > bestScore) { best = voices[i]; bestScore = score; }
    }
    return best;
  }

  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.setAttribute("data-action", action);
    return b;
  }

  function setupReadAloud(box) {
    var synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { return; } // stays hidden
    if (!document.querySelector("[data-read-aloud-target]") && !document.getElementById("article-body")) { return; }

    var label = document.createElement("span");
    label.className = "read-aloud-label";
    label.id = "read-aloud-label";
    label.textContent = "语音朗读";
    var start = button("朗读全文", "start");
    var pause = button("暂停", "pause");
    var resume = button("继续朗读", "resume");
    var stop = button("停止", "stop");
    var status = document.createElement("span");
    status.className = "read-aloud-status";
    status.setAttribute("role", "status");
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", "read-aloud-label");
    var nodes = [label, start, pause, resume, stop, status];
    for (var i = 0; i < nodes.length; i++) { box.appendChild(nodes[i]); }

    var queue = [];
    var index = 0;
    var run = 0; // each start/pause/stop begins a new run; events of older utterances are ignored
    var speaking = null; // keep a reference: some engines drop the events of a collected utterance

    function show(state, message) {
      var focused = document.activeElement;
      var hadFocus = !!focused && focused.parentNode === box;
      start.hidden = state !== "idle";
      pause.hidden = state !== "playing";
      resume.hidden = state !== "paused";
      stop.hidden = state === "idle";
      status.textContent = message;
      // a button that hid itself hands the focus on to the one that replaces it
      if (hadFocus && focused.hidden) {
        (state === "playing" ? pause : state === "paused" ? resume : start).focus();
      }
    }

    function speakNext(myRun) {
      if (myRun !== run) { return; }
      if (index >= queue.length) { index = 0; show("idle", "朗读完毕"); return; }
      var utterance = new window.SpeechSynthesisUtterance(queue[index]);
      utterance.lang = root.lang || "zh-CN";
      var voice = chineseVoice(synth);
      if (voice) { utterance.voice = voice; }
      utterance.onend = function () {
        if (myRun !== run) { return; }
        index += 1;
        speakNext(myRun);
      };
      utterance.onerror = function (event) {
        if (myRun !== run || event.error === "interrupted" || event.error === "canceled") { return; }
        run += 1;
        index = 0;
        show("idle", "无法朗读：本设备的语音功能出错");
      };
      speaking = utterance;
      synth.speak(utterance);
    }

    function play(fromStart) {
      run += 1;
      var myRun = run;
      synth.cancel();
      if (fromStart) { queue = chunks(textToRead()); index = 0; }
      show("playing", "正在朗读");
      // speak() right after cancel() is lost on some engines: give it a moment
      window.setTimeout(function () { speakNext(myRun); }, 50);
    }

    start.addEventListener("click", function () { play(true); });
    resume.addEventListener("click", function () { play(false); });
    // Pausing cancels and remembers the sentence: speechSynthesis.pause() is unreliable on phones.
    pause.addEventListener("click", function () { run += 1; synth.cancel(); show("paused", "已暂停"); });
    stop.addEventListener("click", function () { run += 1; index = 0; synth.cancel(); show("idle", "已停止"); });
    window.addEventListener("pagehide", function () { run += 1; synth.cancel(); });

    show("idle", "");
    box.hidden = false;
  }

  ready(function () {
    setupDisplayModes();
    var boxes = document.querySelectorAll("[data-read-aloud]");
    if (boxes.length) { setupReadAloud(boxes[0]); }
  });
})();
