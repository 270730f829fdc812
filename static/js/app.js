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

  // After a correction the table is new: the first pair it changed takes the focus (the server names it). A pair
  // of a passage has its id on its part of the passage's row, which takes the focus.
  document.body.addEventListener("alignment-changed", function (event) {
    var pair = event.detail && event.detail.focus ? document.getElementById(event.detail.focus) : null;
    var row = pair ? pair.closest("tr") : null;
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
    l: function () { return press('button[data-key="l"]'); },
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

// The similarity map (templates/stories/_similarity_map.html). A click on it goes to the row of the pair at that
// point, loading the page of rows that holds it when it is not on this one. The section follows the job's state,
// and keeps whether it is open, and the zoom button's focus, when htmx draws it again.
(function () {
  "use strict";

  function numbers(el, name) {
    return (el.getAttribute(name) || "").split(" ").filter(Boolean).map(Number);
  }

  // The pair (0-based) holding sentence i of a side, given where each pair's sentences on that side end.
  function holding(ends, i) {
    var lo = 0, hi = ends.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (ends[mid] > i) hi = mid; else lo = mid + 1;
    }
    return Math.min(lo, ends.length - 1);
  }

  // Whether p (in sentences) is inside pair k on this side; a side with no sentence is a band one sentence wide.
  function within(ends, k, p) {
    var start = k > 0 ? ends[k - 1] : 0, end = ends[k];
    return end > start ? start <= p && p < end : Math.abs(p - start) <= 0.5;
  }

  // The pair (1-based) at a click: the pair drawn there; else the pair of the English sentence of that row, or
  // the pair of the Russian sentence of that column when the English one is aligned with nothing.
  function pairAt(plot, event) {
    var box = plot.getBoundingClientRect();
    var en = numbers(plot, "data-en-ends"), ru = numbers(plot, "data-ru-ends");
    if (!en.length || !box.width || !box.height) return 0;
    var x = (event.clientX - box.left) / box.width * ru[ru.length - 1];
    var y = (event.clientY - box.top) / box.height * en[en.length - 1];
    var byEn = holding(en, Math.floor(y)), byRu = holding(ru, Math.floor(x));
    if (within(ru, byEn, x)) return byEn + 1;
    if (within(en, byRu, y)) return byRu + 1;
    var aligned = ru[byEn] > (byEn > 0 ? ru[byEn - 1] : 0);
    return (aligned ? byEn : byRu) + 1;
  }

  // Highlight the row (again, if it was already), give it the focus so the keys go on from there, and show it.
  function locate(row) {
    document.querySelectorAll("tr.pair--located").forEach(function (el) { el.classList.remove("pair--located"); });
    void row.offsetWidth;  // restarts the highlight's animation
    row.classList.add("pair--located");
    row.tabIndex = -1;
    row.focus({ preventScroll: true });
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    row.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
  }

  // Show pair number's row if it is loaded: false if it is not.
  function show(number) {
    // A pair of a passage is a part of the passage's row, perhaps folded away (furniture): unfolded, then shown.
    var pair = document.getElementById("pair-" + number);
    var fold = pair ? pair.closest("details.furniture") : null;
    if (fold) fold.open = true;
    var row = pair ? pair.closest("tr") : null;
    if (row) locate(row);
    return Boolean(row);
  }

  document.addEventListener("click", function (event) {
    var plot = event.target.closest ? event.target.closest(".simmap__plot") : null;
    if (!plot) return;
    var mark = event.target.closest("[data-pair]");
    var number = mark ? Number(mark.getAttribute("data-pair")) : pairAt(plot, event);
    if (number && !show(number)) window.location.assign(plot.getAttribute("data-jump") + number + "/");
  });

  // A moved passage's link to its counterpart: the row in place when it is loaded; otherwise the link's own
  // address, the page of rows that holds it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.counterpart__link") : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (show(Number(link.getAttribute("data-pair")))) event.preventDefault();
  });

  // The job's region changed state (it finished, failed or runs again): the map draws itself again.
  function stateOf() {
    var el = document.getElementById("story-state");
    return el ? el.className : "";
  }

  var state = stateOf(), reopen = null, refocus = null, first = true;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "similarity-map") return;
    var details = target.querySelector("details.simmap");
    reopen = details ? details.open : null;
    var button = event.detail.requestConfig && event.detail.requestConfig.elt;
    refocus = button && button.getAttribute ? button.getAttribute("data-zoom") : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    var section = document.getElementById("similarity-map");
    var details = section ? section.querySelector("details.simmap") : null;
    if (details && reopen !== null) details.open = reopen;
    var button = refocus && section ? section.querySelector('[data-zoom="' + refocus + '"]') : null;
    if (button) button.focus();
    reopen = refocus = null;
    // The map came in above the rows: a row the address points to is shown again where the browser put it.
    if (details && first) {
      first = false;
      var row = /^#pair-\d+$/.test(window.location.hash) ? document.querySelector(window.location.hash) : null;
      if (row) row.scrollIntoView();
    }
    var now = stateOf();
    if (now !== state) {
      state = now;
      document.body.dispatchEvent(new CustomEvent("story-state-changed", { bubbles: true }));
    }
  });
})();
