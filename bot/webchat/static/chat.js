/* Sayso web chat: talks to Rasa's REST channel from the browser.
   Nothing typed is lost: messages wait in localStorage and are sent in order when Sayso can be
   reached. Kiosk mode (a shared tablet) adds "Finish and clear", an inactivity warning, worker
   help and "carry on later"; clearing leaves nothing of the last person in the page. */
(function () {
  "use strict";
  var body = document.body;
  var kiosk = body.dataset.mode === "kiosk";
  var base = body.dataset.base;
  var webhook = body.dataset.rasaUrl + "/webhooks/rest/webhook";
  var WORDS = JSON.parse(document.getElementById("page-words").textContent);
  var SPEECH = { en: "en-GB", pl: "pl-PL", ro: "ro-RO" };
  var KEY = "sayso." + body.dataset.mode + ".";
  var $ = function (id) { return document.getElementById(id); };
  var el = {
    transcript: $("transcript"), choices: $("choices"), choiceButtons: $("choice-buttons"),
    composer: $("composer"), message: $("message"), status: $("status"), languages: $("languages"),
    textSize: $("text-size"), readAloud: $("read-aloud")
  };
  var sending = false, offline = false, retryDelay = 0, retryTimer = null;

  function get(store, name, fallback) {
    try {
      var value = store.getItem(KEY + name);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) { return fallback; }
  }
  function put(store, name, value) {
    try { store.setItem(KEY + name, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }
  function drop(store, name) { try { store.removeItem(KEY + name); } catch (e) { /* off */ } }

  var language = get(localStorage, "language", "en");
  if (!WORDS[language]) { language = "en"; }

  function word(key) { return (WORDS[language] || WORDS.en)[key] || WORDS.en[key] || ""; }
  function say(key) { el.status.textContent = key ? word(key) : ""; }

  function newSender() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function sender() {
    var id = get(localStorage, "sender", "");
    if (!/^web-[0-9a-f]{32}$/.test(id)) { id = newSender(); put(localStorage, "sender", id); }
    return id;
  }

  function applyWords() {
    document.documentElement.lang = language;
    document.title = word("page_title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-word]"), function (node) {
      node.textContent = word(node.dataset.word);
    });
    Array.prototype.forEach.call(el.languages.querySelectorAll("button"), function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.language === language));
    });
  }

  function applyTextSize(size) {
    document.documentElement.className = "size-" + size;
    el.textSize.value = size;
  }

  /* ---- the transcript (this tab only) and choices ---- */
  var transcript = get(sessionStorage, "transcript", []);

  function render(entry) {
    var node = document.createElement("div");
    node.className = "message " + entry.who;
    node.id = "m-" + entry.id;
    if (entry.lang) { node.lang = entry.lang; }
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = word(entry.who === "me" ? "you_said" : "bot_said") + " ";
    node.appendChild(who);
    node.appendChild(document.createTextNode(entry.text));
    if (entry.pending) {
      var mark = document.createElement("span");
      mark.className = "pending";
      mark.textContent = word("not_sent");
      node.appendChild(mark);
    }
    return node;
  }
  function addEntry(entry) {
    transcript.push(entry);
    put(sessionStorage, "transcript", transcript);
    el.transcript.appendChild(render(entry));
  }
  function markSent(id) {
    transcript.forEach(function (entry) { if (entry.id === id) { entry.pending = false; } });
    put(sessionStorage, "transcript", transcript);
    var node = $("m-" + id);
    var mark = node && node.querySelector(".pending");
    if (mark) { mark.remove(); }
  }

  function setChoices(buttons, describedBy) {
    el.choiceButtons.textContent = "";
    buttons.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      button.textContent = item.title;
      button.addEventListener("click", function () {
        setChoices([]);
        send(item.payload, item.title);
        el.message.focus();
      });
      el.choiceButtons.appendChild(button);
    });
    el.choices.hidden = buttons.length === 0;
    if (describedBy) { el.choices.setAttribute("aria-describedby", describedBy); }
    put(sessionStorage, "choices", buttons);
  }

  /* ---- sending, in order, through a queue kept in localStorage ---- */
  function queue() { return get(localStorage, "queue", []); }

  function send(message, shown) {
    var item = { id: Date.now().toString(36) + Math.random().toString(36).slice(2, 7), message: message };
    var items = queue();
    items.push(item);
    put(localStorage, "queue", items);
    if (shown) { addEntry({ who: "me", text: shown, id: item.id, pending: true }); }
    flush();
  }

  function flush() {
    if (sending) { return; }
    var items = queue();
    if (!items.length) { return; }
    var item = items[0];
    var payload = { sender: sender(), message: item.message, input_channel: "webchat" };
    var token = get(sessionStorage, "assist", null);
    if (token) { payload.metadata = { assist: token }; }
    sending = true;
    clearTimeout(retryTimer);
    // A request that hangs on a bad connection is given up and tried again, so the queue moves.
    var controller = new AbortController();
    var giveUp = setTimeout(function () { controller.abort(); }, 45000);
    // text/plain keeps this a "simple" request: no CORS preflight, one round trip, not two.
    fetch(webhook, {
      method: "POST", headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify(payload), signal: controller.signal
    })
      .then(function (response) {
        clearTimeout(giveUp);
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (replies) {
        put(localStorage, "queue", queue().filter(function (queued) { return queued.id !== item.id; }));
        markSent(item.id);
        sending = false;
        retryDelay = 0;
        if (offline) { offline = false; say("back_online"); }
        showReplies(replies);
        flush();
      }, function () {
        // Only a failed or refused request lands here, never a fault in showing the replies.
        clearTimeout(giveUp);
        sending = false;
        if (!offline) { offline = true; say("offline"); }
        retryDelay = Math.min(60000, Math.max(2000, retryDelay * 2));
        retryTimer = setTimeout(flush, retryDelay);
      });
  }

  function showReplies(replies) {
    replies.forEach(function (reply) {
      if (reply.custom && WORDS[reply.custom.language] && reply.custom.language !== language) {
        setLanguage(reply.custom.language);
      }
    });
    var buttons = [], lastId = null, spoken = [];
    replies.forEach(function (reply) {
      if (reply.text) {
        lastId = Date.now().toString(36) + Math.random().toString(36).slice(2, 7);
        addEntry({ who: "bot", text: reply.text, id: lastId, lang: language });
        spoken.push(reply.text);
      }
      (reply.buttons || []).forEach(function (button) { buttons.push(button); });
    });
    setChoices(buttons, lastId && "m-" + lastId);
    speak(spoken);
    var active = document.activeElement;
    var inFlow = !active || active === body || active === el.message || el.composer.contains(active) || el.choices.contains(active);
    if (!inFlow || (active === el.message && el.message.value)) { return; }
    var first = el.choiceButtons.querySelector("button");
    (first || el.message).focus();
  }

  function speak(texts) {
    if (!el.readAloud.checked || !("speechSynthesis" in window)) { return; }
    texts.forEach(function (text) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = SPEECH[language] || "en-GB";
      window.speechSynthesis.speak(utterance);
    });
  }

  function setLanguage(code) {
    language = code;
    put(localStorage, "language", code);
    applyWords();
    Array.prototype.forEach.call(el.transcript.querySelectorAll(".message > .visually-hidden"), function (node) {
      node.textContent = word(node.parentNode.classList.contains("me") ? "you_said" : "bot_said") + " ";
    });
  }

  /* ---- small JSON calls to the web app ---- */
  function post(path, data) {
    return fetch(base + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data), keepalive: true
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) { throw json; }
        return json;
      });
    });
  }

  function showError(input, errorNode, key) {
    errorNode.textContent = word(key);
    errorNode.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", errorNode.id + (input.dataset.hint ? " " + input.dataset.hint : ""));
    input.focus();
  }
  function clearError(input, errorNode) {
    errorNode.hidden = true;
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", input.dataset.hint || "");
  }

  /* ---- the composer ---- */
  el.composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = el.message.value.trim();
    if (!text) { el.message.focus(); return; }
    el.message.value = "";
    drop(sessionStorage, "draft");
    setChoices([]);
    send(text, text);
    el.message.focus();
  });
  el.message.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el.composer.requestSubmit();
    }
  });
  el.message.addEventListener("input", function () { put(sessionStorage, "draft", el.message.value); });

  el.languages.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || button.dataset.language === language) { return; }
    setLanguage(button.dataset.language);
    send(button.textContent, button.textContent);
  });
  el.textSize.addEventListener("change", function () {
    put(localStorage, "size", el.textSize.value);
    applyTextSize(el.textSize.value);
  });
  if ("speechSynthesis" in window) {
    $("read-aloud-field").hidden = false;
    el.readAloud.checked = get(localStorage, "read-aloud", false);
    el.readAloud.addEventListener("change", function () {
      put(localStorage, "read-aloud", el.readAloud.checked);
      if (!el.readAloud.checked) { window.speechSynthesis.cancel(); }
    });
  }
  window.addEventListener("online", flush);

  /* ---- kiosk: finish and clear, inactivity, worker help, carry on later ---- */
  function finish() {
    if ("speechSynthesis" in window) { window.speechSynthesis.cancel(); }
    var forget = get(localStorage, "forget", []);
    forget.push(sender());
    wipe();
    put(localStorage, "forget", forget);
    forgetOld().then(function () { location.replace(base + "/kiosk?cleared=1"); });
  }
  function wipe() {
    try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* storage off */ }
    document.cookie.split(";").forEach(function (cookie) {
      var name = cookie.split("=")[0].trim();
      if (name) { document.cookie = name + "=; Max-Age=0; path=/"; }
    });
  }
  /* Rasa forgets each cleared conversation; an id waits here only until that has worked. */
  function forgetOld() {
    var ids = get(localStorage, "forget", []);
    return Promise.all(ids.map(function (id) {
      return post("/clear", { sender: id }).then(function () { return null; }, function () { return id; });
    })).then(function (left) {
      left = left.filter(Boolean);
      if (left.length) { put(localStorage, "forget", left); } else { drop(localStorage, "forget"); }
    });
  }

  function setUpKiosk() {
    var dialog = $("idle"), countdown = $("idle-countdown");
    var idleMs = Number(body.dataset.idleSeconds) * 1000;
    var warningMs = Number(body.dataset.warningSeconds) * 1000;
    var idleTimer = null, tickTimer = null, deadline = 0;
    function tick() {
      var seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      countdown.textContent = word("idle_countdown").replace("{seconds}", seconds);
      if (seconds === 0) { clearInterval(tickTimer); finish(); }
    }
    function warn() {
      deadline = Date.now() + warningMs;
      dialog.showModal();
      $("idle-carry-on").focus();
      tick();
      tickTimer = setInterval(tick, 1000);
    }
    function active() {
      if (dialog.open) { return; }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(warn, idleMs);
    }
    ["keydown", "pointerdown", "input", "touchstart"].forEach(function (name) {
      document.addEventListener(name, active, { passive: true });
    });
    $("idle-carry-on").addEventListener("click", function () {
      clearInterval(tickTimer);
      dialog.close();
      active();
      el.message.focus();
    });
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); $("idle-carry-on").click(); });
    $("idle-finish").addEventListener("click", finish);
    $("finish").addEventListener("click", finish);
    if (transcript.some(function (entry) { return entry.who === "me"; })) { active(); }

    var assisted = $("assisted"), worker = $("worker"), code = $("dropin-code"), codeError = $("dropin-code-error");
    code.dataset.hint = "dropin-code-hint";
    function showAssisted(on) { assisted.hidden = !on; worker.hidden = on; }
    showAssisted(Boolean(get(sessionStorage, "assist", null)));
    $("assist-form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearError(code, codeError);
      post("/assist", { sender: sender(), code: code.value }).then(function (result) {
        put(sessionStorage, "assist", result.token);
        code.value = "";
        showAssisted(true);
        say("assisted");
        el.message.focus();
      }, function () { showError(code, codeError, "code_wrong"); });
    });
    $("hand-back").addEventListener("click", function () {
      drop(sessionStorage, "assist");
      showAssisted(false);
      say("handed_back");
      el.message.focus();
    });

    var later = $("later"), result = $("later-result");
    later.addEventListener("click", function () {
      post("/carry-on", { sender: sender() }).then(function (data) {
        result.textContent = "";
        function line(text, className) {
          var p = document.createElement("p");
          p.textContent = text;
          if (className) { p.className = className; }
          result.appendChild(p);
        }
        function qr(src, alt) {
          var img = document.createElement("img");
          img.src = src; img.alt = alt; img.width = 192; img.height = 192;
          result.appendChild(img);
        }
        line(word("later_scan"));
        qr(data.qr, word("later_scan"));
        line(word("later_type").replace("{url}", data.url));
        line(data.code, "code");
        line(word("later_expires"));
        if (data.telegram_url) { line(word("later_telegram")); qr(data.telegram_qr, word("later_telegram")); }
        result.hidden = false;
        result.focus();
      }, function () { say("later_failed"); });
    });
    var params = new URLSearchParams(location.search);
    if (params.has("cleared")) { say("cleared"); history.replaceState(null, "", base + "/kiosk"); }
    forgetOld();
  }

  function setUpResume() {
    var form = $("resume-form"), input = $("resume-code"), error = $("resume-code-error");
    function resume(code) {
      clearError(input, error);
      post("/resume", { code: code }).then(function (result) {
        put(localStorage, "sender", result.sender);
        transcript = [];
        el.transcript.textContent = "";
        drop(sessionStorage, "transcript");
        setChoices([]);
        input.value = "";
        say("resumed");
        send("/greet", null);
      }, function () { showError(input, error, "resume_wrong"); });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); resume(input.value); });
    var params = new URLSearchParams(location.search);
    if (!params.has("code")) { return false; }
    history.replaceState(null, "", base + "/");
    resume(params.get("code"));
    return true;
  }

  /* ---- start ---- */
  applyWords();
  applyTextSize(get(localStorage, "size", "1"));
  transcript.forEach(function (entry) { el.transcript.appendChild(render(entry)); });
  setChoices(get(sessionStorage, "choices", []));
  el.message.value = get(sessionStorage, "draft", "");
  var resuming = kiosk ? setUpKiosk() : setUpResume();
  if (!resuming && !transcript.length && !queue().length) { send("/greet", null); } else { flush(); }
}());
