// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // After a failed submit, move focus to the error summary's heading so a screen reader reads it
  // first (the heading also carries `autofocus`, and the summary is the first thing in <main>).
  function focusErrorSummary() {
    var heading = document.querySelector("[data-error-summary] h2");
    if (heading && document.activeElement !== heading) {
      heading.focus();
    }
  }

  // Links in the error summary: focus the field itself, not only scroll to it, and for a radio
  // group or a field with a label, scroll so the label/legend stays in view.
  function enhanceErrorLinks() {
    var links = document.querySelectorAll("[data-error-summary] a[href^='#']");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) { return; }
        event.preventDefault();
        var container = field.closest("fieldset") || field.closest(".field") || field;
        container.scrollIntoView();
        field.focus({ preventScroll: true });
      });
    });
  }

  function enablePrint() {
    var buttons = document.querySelectorAll("[data-print]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function enableCopy() {
    var buttons = document.querySelectorAll("[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      if (!source || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.value).then(function () {
          if (status) { status.textContent = "Het bericht is gekopieerd."; }
        }, function () {
          source.focus();
          source.select();
          if (status) { status.textContent = "Kopiëren lukte niet; het bericht is geselecteerd."; }
        });
      });
    });
  }

  function start() {
    focusErrorSummary();
    enhanceErrorLinks();
    enablePrint();
    enableCopy();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
