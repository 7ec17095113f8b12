// Accord's own script (no inline script anywhere: the Content-Security-Policy forbids it).
// It sends the CSRF token with htmx requests, keeps typed text safe from live refreshes, and wires a few
// buttons. Every page works without it; it only makes them nicer.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // A form someone typed in is "dirty": a live refresh must not throw their text away.
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form") : null;
    if (form) {
      form.setAttribute("data-dirty", "");
    }
  });

  function isTyping(region) {
    var active = document.activeElement;
    var typing = active && region.contains(active) && active.matches("input, textarea, select");
    return Boolean(region.querySelector("form[data-dirty]") || typing);
  }

  // Live updates re-fetch a region; while someone types in it, offer a "show updates" button instead.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig;
    var trigger = config && config.triggeringEvent;
    if (!trigger || typeof trigger.type !== "string" || trigger.type.indexOf("sse:") !== 0) {
      return;
    }
    var region = event.detail.target;
    if (region && isTyping(region)) {
      event.preventDefault();
      var stale = document.querySelector('[data-refresh="' + region.id + '"]');
      if (stale) {
        stale.hidden = false;
      }
    }
  });

  document.addEventListener("click", function (event) {
    var refresh = event.target.closest("[data-refresh]");
    if (refresh) {
      var region = document.getElementById(refresh.getAttribute("data-refresh"));
      refresh.hidden = true;
      if (region && window.htmx) {
        window.htmx.trigger(region, "refresh");
      }
      return;
    }
    var copy = event.target.closest("[data-copy-to]");
    if (copy) {
      var field = document.getElementById(copy.getAttribute("data-copy-to"));
      if (field) {
        field.value = copy.getAttribute("data-text") || "";
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.focus();
      }
      // Saving the merged text then rules on the proposals it came from.
      var merged = document.getElementById("merged-proposals");
      if (merged && copy.hasAttribute("data-merged")) {
        merged.value = copy.getAttribute("data-merged");
      }
    }
  });

  // Proposal form: an insertion starts from an empty text, an amendment from the paragraph's text.
  // Listened to in the capture phase so the text changes before htmx reads the form for the redline.
  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (!radio.matches || !radio.matches('input[name="action"][data-text-field]')) {
      return;
    }
    var field = document.getElementById(radio.getAttribute("data-text-field"));
    if (!field) {
      return;
    }
    var base = field.getAttribute("data-base") || "";
    if (radio.value === "insert" && field.value === base) {
      field.value = "";
    } else if (radio.value === "amend" && field.value.trim() === "") {
      field.value = base;
    }
  }, true);
})();
