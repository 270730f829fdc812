// Sverka's only script. Requests are htmx attributes in the templates; this file tells the reader when a
// background request fails, and gives the alignment view its keys. The keys press the same buttons a mouse
// would (data-key), so every change still goes through the forms and the server. No inline script anywhere:
// the pages can run under a Content Security Policy without 'unsafe-inline'.
(function () {
  "use strict";

  // ------------------------------------------------------------------------------------------ request errors

  function banner() {
    return document.getElementById("client-error");
  }

  function show(text) {
    var el = banner();
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
  }

  // A change the server refuses (422) comes with the reason to show in place, not as a failure.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    show(status === 403 || status === 401
      ? "Your session has ended. Reload the page and log in again."
      : "Something went wrong on the server (" + status + "). Reload the page to try again.");
  });

  document.addEventListener("htmx:sendError", function () {
    show("Sverka cannot be reached. Check your connection; the page will catch up when it is back.");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var el = banner();
    if (el && event.detail.successful) el.hidden = true;
  });

  // ------------------------------------------------------------------------------------------ notices, menus

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-notice]");
    if (close) {
      var notice = close.closest(".notice");
      if (notice) notice.remove();
      return;
    }
    // A click outside an open row menu closes it, as menus do.
    document.querySelectorAll("details.row-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  // After a correction the table is new: the first pair it changed takes the focus (the server names it).
  document.body.addEventListener("alignment-changed", function (event) {
    var row = event.detail && event.detail.focus ? document.getElementById(event.detail.focus) : null;
    if (row && !row.contains(document.activeElement)) focusRow(row, true);
  });

  // ------------------------------------------------------------------------------------------ the keys dialog

  var opener = null;

  function openDialog(dialog) {
    if (dialog.open) return;
    opener = document.activeElement;
    dialog.showModal();  // modal: the page behind is inert, so focus stays inside until it closes
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-open-dialog]");
    if (!button) return;
    var dialog = document.getElementById(button.getAttribute("data-open-dialog"));
    if (dialog) openDialog(dialog);
  });

  document.addEventListener("close", function (event) {
    if (event.target.id !== "keys-help") return;
    if (opener && document.contains(opener) && typeof opener.focus === "function") opener.focus();
    opener = null;
  }, true);  // "close" does not bubble

  // ------------------------------------------------------------------------------------------ the row keys

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#pair-rows tr.pair"));
  }

  function currentRow() {
    var el = document.activeElement;
    return el && el.closest ? el.closest("#pair-rows tr.pair") : null;
  }

  // Rows take the focus from here only (tabindex -1), so that Tab still walks the buttons, not every row.
  function focusRow(row, scroll) {
    row.tabIndex = -1;
    row.focus({ preventScroll: true });
    if (!scroll) return;
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    row.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
  }

  // The next (step 1) or previous (step -1) divergent row from the focused one, or from the top.
  function stepDivergent(step) {
    var all = rows();
    var at = all.indexOf(currentRow());
    for (var i = at < 0 ? (step > 0 ? 0 : all.length - 1) : at + step; i >= 0 && i < all.length; i += step) {
      if (all[i].classList.contains("pair--flagged")) {
        focusRow(all[i], true);
        return;
      }
    }
  }

  // Press the focused row's button for this key, as a click would (hidden ones too: the server says why).
  // The row's new copy takes the focus back once htmx has swapped it in.
  var refocus = null;

  function press(selector) {
    var row = currentRow();
    var button = row ? row.querySelector(selector) : null;
    if (!button) return false;
    refocus = row.id;
    button.click();
    return true;
  }

  document.addEventListener("htmx:afterSettle", function () {
    var row = refocus ? document.getElementById(refocus) : null;
    refocus = null;
    if (row && !row.contains(document.activeElement)) focusRow(row, false);
  });

  var KEYS = {
    j: function () { stepDivergent(1); return true; },
    k: function () { stepDivergent(-1); return true; },
    m: function () { return press('button[data-key="m"]'); },
    s: function () { return press('button[data-key="s"]'); },
    c: function () { return press('.flag[data-verdict="pending"] button[data-key="c"]'); },
    d: function () { return press('.flag[data-verdict="pending"] button[data-key="d"]'); },
  };

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "Escape") {
      var menu = document.querySelector("details.row-menu[open]");
      if (menu) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
      return;
    }
    if (!document.getElementById("pair-rows") || document.querySelector("dialog[open]")) return;
    if (event.key === "?") {
      var help = document.getElementById("keys-help");
      if (help) {
        event.preventDefault();
        openDialog(help);
      }
      return;
    }
    var action = KEYS[event.key];
    if (action && action()) event.preventDefault();
  });
})();
