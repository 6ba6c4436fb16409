// The procurement team's page: upload a region, watch the job, stop it, download what it made.
// Plain JS, no build step. Texts come from the server's catalogue (/web/texts/<lang>.json).
"use strict";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const $ = (id) => document.getElementById(id);
let T = {};
let jobId = null;
let timer = null;

async function loadTexts(lang) {
  const answer = await fetch(`/web/texts/${lang}.json`);
  T = await answer.json();
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) {
    if (T[el.dataset.t]) el.textContent = T[el.dataset.t];
  }
  localStorage.setItem("dekkend-lang", lang);
}

function headers(extra) {
  const out = Object.assign({ "Accept-Language": $("lang").value }, extra || {});
  const token = $("token").value.trim();
  if (token) out.Authorization = `Bearer ${token}`;
  return out;
}

function showErrors(detail, errors) {
  const box = $("errors");
  box.replaceChildren();
  const head = document.createElement("p");
  head.textContent = detail;
  box.append(head);
  if (errors.length) {
    const list = document.createElement("ul");
    for (const e of errors) {
      const item = document.createElement("li");
      const where = document.createElement("code");
      where.textContent = e.path;
      item.append(where, `: ${e.message}`);
      list.append(item);
    }
    box.append(list);
  }
  box.hidden = false;
}

async function answerOf(response) {
  try {
    return await response.json();
  } catch {
    return { detail: `${response.status} ${response.statusText}` };
  }
}

async function submit(event) {
  event.preventDefault();
  $("errors").hidden = true;
  const file = $("file").files[0];
  const seconds = Number($("time").value);
  if (!file) return;
  let response;
  if (file.name.toLowerCase().endsWith(".xlsx")) {
    response = await fetch(`/v1/jobs?time_limit_s=${seconds}`, {
      method: "POST", headers: headers({ "Content-Type": XLSX }), body: file,
    });
  } else {
    let instance;
    try {
      instance = JSON.parse(await file.text());
    } catch (error) {
      showErrors(`${T.not_json || "not JSON"}: ${error.message}`, []);
      return;
    }
    response = await fetch("/v1/jobs", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ instance, options: { time_limit_s: seconds } }),
    });
  }
  const body = await answerOf(response);
  if (!response.ok) {
    showErrors(body.detail || response.statusText, body.errors || []);
    return;
  }
  jobId = body.id;
  $("job").hidden = false;
  $("downloads").hidden = true;
  $("stop").disabled = false;
  $("submit").disabled = true;
  poll();
}

function money(value) {
  if (value === null || value === undefined) return "—";
  const locale = $("lang").value === "nl" ? "nl-NL" : "en-GB";
  return new Intl.NumberFormat(locale, {
    style: "currency", currency: "EUR", maximumFractionDigits: 0,
  }).format(value);
}

async function poll() {
  clearTimeout(timer);
  const response = await fetch(`/v1/jobs/${jobId}`, { headers: headers() });
  const job = await answerOf(response);
  if (!response.ok) {
    showErrors(job.detail || response.statusText, job.errors || []);
    $("submit").disabled = false;
    return;
  }
  $("state").textContent = T[`state_${job.state}`] || job.state;
  $("state").dataset.state = job.state;
  const progress = job.progress;
  const bar = $("progress");
  if (progress && progress.coalitions_total) {
    bar.max = progress.coalitions_total;
    bar.value = progress.coalitions_done || 0;
  } else if (progress && progress.units_total) {
    bar.max = progress.units_total;
    bar.value = progress.units_done || 0;
  } else if (job.state === "running" || job.state === "queued") {
    bar.removeAttribute("value");
  } else {
    bar.max = 1;
    bar.value = 1;
  }
  $("elapsed").textContent = progress ? `(${progress.elapsed_s.toFixed(1)} s)` : "";
  const result = job.result;
  if (result) {
    $("figures").textContent = `${T.result_status || "status"}: ${T[`status_${result.status}`] || result.status}; `
      + `${T.contracts || "contracts"}: ${(result.contracts || []).length}; `
      + `${T.regional_cost || "regional cost"}: ${money(result.regional_cost)}`;
  } else if (progress && progress.objective !== null && progress.objective !== undefined) {
    $("figures").textContent = `${T.best_so_far || "best so far"}: ${money(progress.objective)}`;
  }
  if (job.state === "queued" || job.state === "running") {
    timer = setTimeout(poll, 1000);
    return;
  }
  $("stop").disabled = true;
  $("submit").disabled = false;
  if (job.error) showErrors(job.error, []);
  $("downloads").hidden = !result;
}

async function stop() {
  $("stop").disabled = true;
  await fetch(`/v1/jobs/${jobId}`, { method: "DELETE", headers: headers() });
  poll();
}

async function download(path, accept, name) {
  const response = await fetch(path, { headers: headers({ Accept: accept }) });
  if (!response.ok) {
    const body = await answerOf(response);
    showErrors(body.detail || response.statusText, body.errors || []);
    return;
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

document.addEventListener("DOMContentLoaded", () => {
  $("lang").value = localStorage.getItem("dekkend-lang") || "nl"; // Dutch unless chosen
  $("token").value = sessionStorage.getItem("dekkend-token") || "";
  loadTexts($("lang").value);
  $("lang").addEventListener("change", () => loadTexts($("lang").value));
  $("token").addEventListener("change", () => sessionStorage.setItem("dekkend-token", $("token").value));
  $("upload").addEventListener("submit", submit);
  $("stop").addEventListener("click", stop);
  $("get-xlsx").addEventListener("click", () => download(`/v1/jobs/${jobId}/result`, XLSX, `${jobId}.result.xlsx`));
  $("get-json").addEventListener("click", () => download(`/v1/jobs/${jobId}/result`, "application/json", `${jobId}.result.json`));
  $("get-report").addEventListener("click", () => download(`/v1/jobs/${jobId}/report?lang=${$("lang").value}`, "text/html", `${jobId}.report.html`));
});
