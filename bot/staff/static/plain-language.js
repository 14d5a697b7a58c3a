// A gentle plain-language check as staff type an outcome: the server counts words in each
// sentence (the same rule as the bot's own words) and a warning appears under the field.
// It never stops the form being saved.
const form = document.querySelector("form[data-plain-language-check]");
const FIELDS = ["what_was_done", "reason"];
let timer = null;

function warningBlock(message) {
  const block = document.createElement("div");
  block.className = "govuk-warning-text";
  const icon = document.createElement("span");
  icon.className = "govuk-warning-text__icon";
  icon.setAttribute("aria-hidden", "true");
  icon.textContent = "!";
  const text = document.createElement("strong");
  text.className = "govuk-warning-text__text";
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = "Warning";
  text.append(hidden, message);
  block.append(icon, text);
  return block;
}

async function check() {
  const body = new FormData();
  body.append("csrf_token", form.querySelector("[name=csrf_token]").value);
  for (const name of FIELDS) {
    body.append(name, form.querySelector(`[name=${name}]`).value);
  }
  const response = await fetch(form.dataset.plainLanguageCheck, { method: "POST", body });
  if (!response.ok) return;
  const { warnings } = await response.json();
  for (const name of FIELDS) {
    const area = document.getElementById(`${name}-warnings`);
    area.replaceChildren(
      ...warnings.filter((item) => item.field === name).map((item) => warningBlock(item.message)),
    );
  }
}

if (form) {
  for (const name of FIELDS) {
    form.querySelector(`[name=${name}]`).addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, 500);
    });
  }
}
