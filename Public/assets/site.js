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

  // A file over the limit is refused at once, before the form (and what was typed) is sent: the
  // server cannot give a form back whose body is over its limit.
  function checkFileSize() {
    var inputs = document.querySelectorAll("input[type=file][data-max-bytes]");
    Array.prototype.forEach.call(inputs, function (input) {
      var max = parseInt(input.getAttribute("data-max-bytes"), 10);
      var message = document.createElement("p");
      message.className = "field-error";
      message.id = input.id + "-te-groot";
      message.setAttribute("role", "alert");
      message.hidden = true;
      input.parentNode.insertBefore(message, input);
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (file && file.size > max) {
          var mb = (file.size / 1048576).toFixed(1).replace(".", ",");
          message.textContent = "Het bestand ‘" + file.name + "’ is " + mb + " MB: groter dan 25 MB. "
            + "Kies een kleiner PDF-bestand. Wat u verder invulde, blijft staan.";
          message.hidden = false;
          input.value = "";
          input.setAttribute("aria-invalid", "true");
        } else {
          message.hidden = true;
          message.textContent = "";
          input.removeAttribute("aria-invalid");
        }
      });
    });
  }

  // A text with a limit shows how much room is left as it is typed. Nothing is cut off: a text
  // that is too long is refused by the server with everything kept, and the count says so first.
  // Newlines count twice, as the form sends them (CR LF) and the server counts them.
  function countCharacters() {
    var fields = document.querySelectorAll("textarea[data-maxlength]");
    Array.prototype.forEach.call(fields, function (field) {
      var max = parseInt(field.getAttribute("data-maxlength"), 10);
      var counter = document.getElementById(field.id + "-limiet");
      if (!counter || !max) { return; }
      var format = function (n) { return n.toLocaleString("nl-NL"); };
      var update = function () {
        var value = field.value;
        var used = Array.from(value).length + (value.match(/\n/g) || []).length;
        var over = used > max;
        counter.textContent = over
          ? format(used - max) + (used - max === 1 ? " teken" : " tekens") + " te veel (ten hoogste " + format(max) + ")."
          : "Nog " + format(max - used) + " van de " + format(max) + " tekens.";
        counter.classList.toggle("char-count-over", over);
      };
      field.addEventListener("input", update);
      update();
    });
  }

  // A field that is required except for one standpunt (the signed council decision, except for
  // "geen zienswijze"): its "(optioneel)" shows while that standpunt is chosen.
  function followStandpunt() {
    var marks = document.querySelectorAll("[data-optional-when]");
    var radios = document.querySelectorAll("input[type=radio][name=standpunt]");
    if (!marks.length || !radios.length) { return; }
    var update = function () {
      var chosen = document.querySelector("input[type=radio][name=standpunt]:checked");
      Array.prototype.forEach.call(marks, function (mark) {
        mark.hidden = !chosen || chosen.value !== mark.getAttribute("data-optional-when");
      });
    };
    Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", update); });
    update();
  }

  function start() {
    focusErrorSummary();
    enhanceErrorLinks();
    enablePrint();
    enableCopy();
    checkFileSize();
    countCharacters();
    followStandpunt();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
