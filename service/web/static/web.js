/* payerlens workspace: progressive enhancement only. Every page works without this file;
   with it, reviews save in place, "show in text" scrolls and flashes the clause, rate tables
   sort, uploads show their progress and the job page follows the analysis. */
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function announce(message) {
    var live = document.getElementById("live");
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 30);
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  /* ---- findings: from the list to the text and back ---- */

  function flashFinding(id) {
    document.querySelectorAll("mark.flash").forEach(function (m) { m.classList.remove("flash"); });
    var marks = document.querySelectorAll('mark[data-findings~="' + id + '"]');
    marks.forEach(function (m) { m.classList.add("flash"); });
    window.setTimeout(function () {
      marks.forEach(function (m) { m.classList.remove("flash"); });
    }, 2500);
    document.querySelectorAll(".finding.active").forEach(function (c) { c.classList.remove("active"); });
    var card = document.getElementById("card-" + id);
    if (card) card.classList.add("active");
  }

  function showInText(targetId) {
    var target = document.getElementById(targetId);
    if (!target) return false;
    var mark = target.closest("mark") || target;
    mark.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "center" });
    target.focus({ preventScroll: true });
    var id = targetId.replace(/^f-/, "");
    flashFinding(id);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + targetId);
    }
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-target]");
    if (link) {
      if (showInText(link.getAttribute("data-target"))) event.preventDefault();
      return;
    }
    var mark = event.target.closest("mark.hl");
    if (mark) {
      var id = (mark.getAttribute("data-findings") || "").split(" ")[0];
      var card = id && document.getElementById("card-" + id);
      if (card) {
        var item = card.closest("li");
        if (item && item.hidden) item.hidden = false;
        card.scrollIntoView({ behavior: reducedMotion() ? "auto" : "smooth", block: "nearest" });
        card.focus({ preventScroll: true });
        flashFinding(id);
      }
    }
  });

  /* ---- the findings panel's filters ---- */

  function applyPanelFilters() {
    var wanted = {};
    document.querySelectorAll("[data-filter]").forEach(function (select) {
      wanted[select.getAttribute("data-filter")] = select.value;
    });
    var shown = 0;
    document.querySelectorAll(".finding-list > li").forEach(function (item) {
      var card = item.querySelector(".finding");
      if (!card) return;
      var ok = Object.keys(wanted).every(function (name) {
        return !wanted[name] || card.getAttribute("data-" + name) === wanted[name];
      });
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    announce(shown + " findings shown");
  }

  document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-filter]")) applyPanelFilters();
  });

  /* ---- the original pages beside the text ---- */

  var pagesToggle = document.getElementById("show-pages");
  if (pagesToggle) {
    var stored = null;
    try { stored = window.localStorage.getItem("payerlens.showPages"); } catch (e) { stored = null; }
    if (stored === "0") pagesToggle.checked = false;
    var applyPages = function () {
      document.body.classList.toggle("hide-pages", !pagesToggle.checked);
      try { window.localStorage.setItem("payerlens.showPages", pagesToggle.checked ? "1" : "0"); } catch (e) { /* private mode */ }
    };
    pagesToggle.addEventListener("change", applyPages);
    applyPages();
  }

  /* ---- reviews, saved in place ---- */

  function formError(form, message) {
    var p = form.querySelector(".form-error");
    if (!p) {
      p = document.createElement("p");
      p.className = "form-error";
      p.setAttribute("role", "alert");
      form.appendChild(p);
    }
    p.textContent = message;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form.review-form")) return;
    event.preventDefault();
    var card = form.closest(".finding");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": csrf,
        "X-Requested-With": "fetch",
        "X-Located": card && card.getAttribute("data-located") === "0" ? "0" : "1"
      },
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (response) {
      if (response.status === 401) {
        window.location.href = "/login?m=expired&next=" + encodeURIComponent(window.location.pathname);
        return null;
      }
      if (!response.ok) {
        return response.json().then(function (body) {
          throw new Error((body && body.error && body.error.message) || "The review was not saved.");
        }, function () { throw new Error("The review was not saved (" + response.status + ")."); });
      }
      return response.text();
    }).then(function (html) {
      if (html === null || html === undefined) return;
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var fresh = holder.firstElementChild;
      if (card && fresh) {
        card.replaceWith(fresh);
        fresh.focus({ preventScroll: true });
        var state = fresh.querySelector(".state");
        announce("Review saved" + (state ? ": " + state.textContent : ""));
        document.querySelectorAll('mark[data-findings~="' + fresh.getAttribute("data-finding") + '"]').forEach(function (m) {
          m.setAttribute("data-state", fresh.getAttribute("data-state"));
        });
      }
    }).catch(function (error) {
      if (button) button.disabled = false;
      formError(form, error.message);
    });
  });

  /* ---- sortable tables (buttons in the headers: keyboard operable) ---- */

  function cellValue(row, index, type) {
    var cell = row.children[index];
    if (!cell) return null;
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (type === "number") {
      if (raw === "" || raw === null) return null;
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return raw === "" ? null : raw.toLowerCase();
  }

  function sortTable(table, index, th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var type = th.getAttribute("data-type") || "text";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row._order = i; });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      if (x === null && y === null) return a._order - b._order;
      if (x === null) return 1;  /* blanks last, either way */
      if (y === null) return -1;
      var c = type === "number" ? x - y : x.localeCompare(y, undefined, { numeric: true });
      if (c === 0) return a._order - b._order;
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    announce("Sorted by " + th.textContent.trim() + ", " + (ascending ? "ascending" : "descending"));
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent.trim();
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortTable(table, index, th); });
    });
  });

  /* ---- the analysis job: follow it until the contract is ready ---- */

  function followJob(url, show) {
    var started = Date.now();
    var tick = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 401) {
            window.location.href = "/login?m=expired&next=" + encodeURIComponent(url);
            return null;
          }
          return response.json();
        })
        .then(function (job) {
          if (!job) return;
          var seconds = Math.round((Date.now() - started) / 1000);
          if (job.contract_url) {
            show("Done. Opening the contract…", 100);
            window.location.href = job.contract_url;
          } else if (job.status === "failed") {
            show("The analysis failed: " + (job.error ? job.error.message + " (" + job.error.code + ")" : "unknown error"), null, true);
          } else {
            show((job.status === "queued" ? "Queued" : "Analysing") + " " + job.filename + "… " + seconds + " s", null);
            window.setTimeout(tick, 800);
          }
        })
        .catch(function () { window.setTimeout(tick, 2000); });
    };
    tick();
  }

  var jobBox = document.getElementById("job");
  if (jobBox && jobBox.getAttribute("data-status") !== "failed") {
    var jobText = document.getElementById("progress-text");
    followJob(jobBox.getAttribute("data-job-url"), function (message, value, failed) {
      if (jobText) jobText.textContent = message;
      if (failed) jobText.className = "error";
    });
  }

  /* ---- upload: drag and drop, upload progress, then the job ---- */

  var uploadForm = document.getElementById("upload-form");
  if (uploadForm) {
    var input = document.getElementById("file");
    var zone = document.getElementById("dropzone");
    var chosen = document.getElementById("chosen");
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("progress-bar");
    var text = document.getElementById("progress-text");

    var show = function (message, value, failed) {
      box.hidden = false;
      text.textContent = message;
      text.className = failed ? "error" : "";
      if (value === null || value === undefined) bar.removeAttribute("value");
      else bar.value = value;
      if (failed) {
        bar.hidden = true;
        uploadForm.querySelector("button[type=submit]").disabled = false;
      }
    };

    var send = function (file) {
      var data = new FormData();
      data.append("csrf_token", csrf);
      data.append("file", file, file.name);
      data.append("contract_id", document.getElementById("contract_id").value);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", uploadForm.action);
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.setRequestHeader("X-Requested-With", "fetch");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) show("Uploading " + file.name + "… " + Math.round(e.loaded / e.total * 100) + " %", e.loaded / e.total * 100);
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status === 202 && body) {
          show((body.duplicate ? "Already uploaded; following its analysis" : "Uploaded; analysing") + "…", null);
          followJob(body.job_url, show);
        } else if (xhr.status === 401) {
          window.location.href = "/login?m=expired&next=/upload";
        } else {
          show((body && body.error && body.error.message) || ("The upload failed (" + xhr.status + ")."), null, true);
        }
      });
      xhr.addEventListener("error", function () { show("The upload failed: the server could not be reached.", null, true); });
      uploadForm.querySelector("button[type=submit]").disabled = true;
      bar.hidden = false;
      show("Uploading " + file.name + "…", 0);
      xhr.send(data);
    };

    input.addEventListener("change", function () {
      chosen.textContent = input.files.length ? "Chosen: " + input.files[0].name : "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("over");
      var files = e.dataTransfer && e.dataTransfer.files;
      if (!files || !files.length) return;
      chosen.textContent = "Chosen: " + files[0].name;
      send(files[0]);
    });
    uploadForm.addEventListener("submit", function (e) {
      if (!input.files.length) return;
      e.preventDefault();
      send(input.files[0]);
    });
  }
})();
