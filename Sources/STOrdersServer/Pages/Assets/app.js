// STOrders pages: small improvements only; every form works without this file.
"use strict";
(function () {
  // Money fields: keep the grouping readable while typing is left alone; totals recomputed.
  function parseMoney(text) {
    var s = String(text || "").replace(/(đồng|dong|VND|vnd|đ|₫)\s*$/, "").trim();
    if (!/^\d{1,3}([.,_ ]\d{3})*$|^\d+$/.test(s)) return null;
    return Number(s.replace(/[.,_ ]/g, ""));
  }
  function formatMoney(n, lang) {
    var digits = String(n), out = "";
    for (var i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += lang === "en" ? "," : ".";
      out += digits[i];
    }
    return out + "\u00A0₫";
  }
  function recompute(form) {
    var lang = document.documentElement.lang;
    form.querySelectorAll("[data-total-of]").forEach(function (out) {
      var name = out.getAttribute("data-total-of"), sum = 0, ok = true;
      form.querySelectorAll("input[data-money='" + name + "']").forEach(function (input) {
        if (input.value.trim() === "") return;
        var v = parseMoney(input.value);
        if (v === null) ok = false; else sum += v;
      });
      out.textContent = ok ? formatMoney(sum, lang) : "—";
    });
  }
  function renumber(form) {
    form.querySelectorAll("[data-row]").forEach(function (row, i) {
      row.querySelectorAll("[data-field]").forEach(function (el) {
        var field = el.getAttribute("data-field");
        el.name = "outputs[" + i + "][" + field + "]";
        el.id = "output-" + i + "-" + field;
      });
      row.querySelectorAll("label[data-for]").forEach(function (label) {
        label.htmlFor = "output-" + i + "-" + label.getAttribute("data-for");
      });
      row.querySelectorAll("[data-row-number]").forEach(function (el) { el.textContent = String(i + 1); });
      var remove = row.querySelector("button[data-remove-row]");
      if (remove) { remove.value = "remove_row_" + i; remove.id = "remove-row-" + i; }
      row.id = "output-row-" + i;
    });
    var count = form.querySelector("input[name='row_count']");
    if (count) count.value = String(form.querySelectorAll("[data-row]").length);
  }
  document.querySelectorAll("form[data-rows]").forEach(function (form) {
    form.addEventListener("click", function (event) {
      var target = event.target;
      if (!(target instanceof HTMLButtonElement)) return;
      if (target.hasAttribute("data-add-row")) {
        var rows = form.querySelectorAll("[data-row]");
        var last = rows[rows.length - 1];
        if (!last) return;
        event.preventDefault();
        var copy = last.cloneNode(true);
        copy.querySelectorAll("input").forEach(function (input) {
          input.value = ""; input.removeAttribute("aria-invalid"); input.removeAttribute("aria-describedby");
        });
        copy.querySelectorAll("select").forEach(function (select) {
          select.removeAttribute("aria-invalid"); select.removeAttribute("aria-describedby");
        });
        copy.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
        last.parentNode.insertBefore(copy, last.nextSibling);
        renumber(form);
        recompute(form);
        var first = copy.querySelector("input");
        if (first) first.focus();
      } else if (target.hasAttribute("data-remove-row")) {
        var all = form.querySelectorAll("[data-row]");
        if (all.length <= 1) return;
        event.preventDefault();
        target.closest("[data-row]").remove();
        renumber(form);
        recompute(form);
      }
    });
  });
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-total-of]")) return;
    form.addEventListener("input", function () { recompute(form); });
    recompute(form);
  });
})();
