// What the supervisor flows read off a case page and the API: the
// supervisor's action buttons, and the case as the node answers it to the
// page's own certificate (GetCase, BASIC view, JSON).
export const ACTION_BUTTONS = ["Cerrar el caso…", "Reabrir el caso", "Borrar los datos personales…"];

// The supervisor's actions the page offers (button names, exact).
export async function offeredActions(page) {
  const out = [];
  for (const name of ACTION_BUTTONS) {
    if (await page.getByRole("button", { name, exact: true }).count()) out.push(name);
  }
  return out;
}

export async function caseFromApi(page, folio) {
  return page.evaluate(async (name) => {
    const r = await fetch("/resguardo.v1.CaseService/GetCase", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
      body: JSON.stringify({ name }),
    });
    return r.json();
  }, `institutions/IEEPCO/cases/${folio}`);
}

// The case page's status (its descriptor list's "Estado" row).
export async function shownStatus(page) {
  return (await page.locator("dl.facts dt", { hasText: /^Estado$/ }).first()
    .locator("xpath=following-sibling::dd").innerText()).trim();
}
