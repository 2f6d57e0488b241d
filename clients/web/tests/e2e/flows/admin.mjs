// Issue 17, admins: IEEPCO's admin creates a user in the browser (the node
// first refuses a combination of roles that breaks the separation, beside
// the roles), changes her roles (the node refuses the separation over
// time, in its words), disables her — and that user's next page load is
// refused — and enables her again; she cannot disable herself. The
// operator's admin creates an institution and its first administrator;
// another institution's admin sees only her own users and no institutions
// screen; the admin rotates her institution's keys from her users screen
// and sees the rotation end; a caseworker typing the admin address sees the node's refusal,
// not a list.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "../session.mjs";
import { CANARIES } from "../canaries.mjs";
import { TRUST_DOMAIN } from "../test_node.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../..");
const NEW_USER = "temporal";

// The certificate of a user of the test PKI (the harness's admins, or one
// issued here), for the node's origin.
function certificate(env, inst, user) {
  return {
    origin: env.origin,
    certPath: join(env.pki, "clients", inst, `${user}.crt`),
    keyPath: join(env.pki, "clients", inst, `${user}.key`),
  };
}

// The deployment's CA issues the new user's certificate (as an institution
// would before her admin creates her in the node).
function issue(env, inst, user) {
  const r = spawnSync("bash", [join(repo, "deploy/pki.sh"), env.pki, "client", inst, user],
    { env: { ...process.env, RESGUARDO_TRUST_DOMAIN: TRUST_DOMAIN }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pki.sh client ${inst} ${user}: ${r.stderr}`);
}

// A user's row in the users table, by the user id in its header cell.
function rowOf(page, user) {
  return page.locator("tr", { has: page.getByRole("rowheader", { name: user, exact: true }) });
}

export async function admin({ browser, env, checks }) {
  issue(env, "IEEPCO", NEW_USER);
  const a = await Session.open(browser, env, "IEEPCO admin", certificate(env, "IEEPCO", "admin"));
  const p = a.page;
  await a.goto("/");
  const nav = p.getByRole("navigation", { name: "Navegación principal" });
  await nav.getByRole("link", { name: "Usuarias" }).click();
  await p.getByRole("heading", { name: "Usuarias de su institución" }).waitFor();
  // The list comes after the heading (ListUsers).
  await p.getByRole("rowheader", { name: "admin", exact: true }).waitFor();
  checks.check(await p.getByRole("rowheader", { name: "seguimiento", exact: true }).isVisible(),
    "admin: the users of her institution are listed");
  checks.check(await p.getByText("Separación de funciones").isVisible() &&
               await p.getByText("quien vigila no lee casos").isVisible(),
    "admin: the roles' meaning and the separation rules are on the screen");
  await checks.screen(a, "admin-users");

  // A new user with roles that may not be combined: the node's violation
  // beside the roles.
  const create = p.locator("form", { has: p.getByRole("heading", { name: "Crear una usuaria" }) });
  await create.getByLabel("Identificador de la usuaria").fill(NEW_USER);
  const newRoles = p.locator("#adm-new-roles");
  await newRoles.getByLabel("Administradora").check();
  await newRoles.getByLabel("Registradora").check();
  await create.getByRole("button", { name: "Crear usuaria" }).click();
  const rolesError = p.locator("#adm-new-roles-error");
  await rolesError.filter({ hasText: "no se combinan" }).waitFor();
  checks.check(true, `admin: the node refuses ADMIN with REGISTRAR beside the roles ("${(await rolesError.textContent()).trim()}")`);
  await checks.screen(a, "admin-users-separation");
  await newRoles.getByLabel("Administradora").uncheck();
  await create.getByRole("button", { name: "Crear usuaria" }).click();
  await p.getByText(`Usuaria creada: ${NEW_USER}`).waitFor();
  const row = rowOf(p, NEW_USER);
  checks.check(await row.getByText("Registradora").isVisible(), "admin: the new user is listed with her role");

  // The new user signs in with her certificate.
  const u = await Session.open(browser, env, NEW_USER, certificate(env, "IEEPCO", NEW_USER));
  await u.goto("/");
  await u.page.locator("dl.who").getByText(NEW_USER).waitFor();
  checks.check(true, "the new user's certificate opens the client");

  // Her roles: AUDITOR after REGISTRAR is refused (separation over time),
  // in the node's words; CASEWORKER is accepted.
  await row.getByRole("button", { name: `Cambiar funciones de ${NEW_USER}` }).click();
  const edit = p.locator(`#adm-u-${NEW_USER}-form`);
  await edit.getByLabel("Registradora").uncheck();
  await edit.getByLabel("Auditora").check();
  await edit.getByRole("button", { name: "Guardar funciones" }).click();
  const refusal = p.locator(".error-box").filter({ hasText: "separación de roles" });
  await refusal.waitFor();
  checks.check(true, `admin: the node's refusal of AUDITOR for a former registrar is shown ("${(await refusal.textContent()).trim()}")`);
  await checks.screen(a, "admin-users-roles-refused");
  await edit.getByLabel("Auditora").uncheck();
  await edit.getByLabel("Persona de seguimiento").check();
  await edit.getByRole("button", { name: "Guardar funciones" }).click();
  await p.getByText(`Funciones guardadas: ${NEW_USER}`).waitFor();
  checks.check(await row.getByText("Persona de seguimiento").isVisible() &&
               !(await row.getByText("Registradora").isVisible()),
    "admin: her roles changed (with the etag)");

  // Disabled: her next page load is refused by the node.
  await row.getByRole("button", { name: `Desactivar ${NEW_USER}` }).click();
  await row.getByText("Desactivada").waitFor();
  checks.check(true, "admin: the user is disabled");
  await u.page.reload();
  await u.page.getByText("No se pudo saber quién es usted").waitFor();
  const denied = await u.page.locator(".error-box").textContent();
  checks.check(denied.includes("Su usuaria está deshabilitada") && !(await u.page.locator("dl.who").isVisible()),
    `the disabled user's next page load is refused by the node ("${denied.trim()}")`);
  await checks.screen(u, "admin-disabled-user-refused");

  // Enabled again: she is back, with the roles she had.
  await row.getByRole("button", { name: `Reactivar ${NEW_USER}` }).click();
  await p.getByText(`Usuaria reactivada: ${NEW_USER}`).waitFor();
  await u.page.reload();
  await u.page.locator("dl.who").getByText("Persona de seguimiento").waitFor();
  checks.check(true, "admin: the user enabled again signs in with her roles");

  // An admin cannot disable herself: the node says so in the row.
  const self = rowOf(p, "admin");
  await self.getByRole("button", { name: "Desactivar admin" }).click();
  const selfRefusal = p.locator(".error-box").filter({ hasText: "desactivarse a sí misma" });
  await selfRefusal.waitFor();
  checks.check(true, "admin: the node refuses her disabling herself, in its words");

  // Her institution's keys (issue 18): a rotation started with the button
  // ends, its progress asked for again until the node says it is done.
  const keys = p.getByRole("region", { name: "Claves de cifrado de su institución" });
  await keys.getByRole("button", { name: "Rotar las claves" }).click();
  await keys.locator("dd").filter({ hasText: "Terminada" }).waitFor({ timeout: 60000 });
  const shown = (await keys.locator("dl").textContent()).trim();
  checks.check(/1 → 2/.test(shown) && /faltan: 0/.test(shown) &&
               await keys.getByRole("button", { name: "Rotar las claves" }).isEnabled(),
    `admin: the KEK rotation started from the screen ends, its progress shown ("${shown}")`);
  await checks.screen(a, "admin-key-rotation");

  // English through the switch.
  await p.getByRole("button", { name: /^English/ }).click();
  await p.getByRole("heading", { name: "Your institution's users" }).waitFor();
  checks.check(await p.getByText("whoever oversees does not read cases").isVisible() &&
               await row.getByRole("cell", { name: "Caseworker", exact: true }).isVisible(),
    "admin: the screen and the role labels in English");
  await checks.screen(a, "admin-users-en");
  await p.getByRole("button", { name: /^Español/ }).click();
  await p.getByRole("heading", { name: "Usuarias de su institución" }).waitFor();

  // The operator's admin: institutions, and a new one with its admin.
  await nav.getByRole("link", { name: "Instituciones" }).click();
  await p.getByRole("heading", { name: "Instituciones del nodo" }).waitFor();
  await p.getByRole("rowheader", { name: "IEEPCO" }).waitFor();
  checks.check(await p.getByRole("rowheader", { name: "FGEO" }).isVisible() &&
               await p.getByRole("rowheader", { name: "IEEPCO" }).isVisible(),
    "operator's admin: the institutions are listed");
  const inst = p.locator("form", { has: p.getByRole("heading", { name: "Crear una institución" }) });
  await inst.getByLabel("Identificador").fill("DDHPO");
  await inst.getByLabel("Nombre").fill("Defensoría de los Derechos Humanos del Pueblo de Oaxaca");
  await inst.getByLabel("Tipo de institución").selectOption("4");  // INSTITUTION_KIND_OVERSIGHT
  await inst.getByLabel("Estado (clave INEGI de dos dígitos)").fill("20");
  await inst.getByRole("button", { name: "Crear institución" }).click();
  await p.getByRole("rowheader", { name: "DDHPO" }).waitFor();
  const first = p.locator("form", { has: p.getByRole("heading", { name: /Su primera administradora/ }) });
  await first.getByRole("button", { name: "Crear administradora" }).click();
  await p.getByText("Usuaria creada: DDHPO/admin").waitFor();
  checks.check(true, "operator's admin: creates an oversight institution (DDHPO) and its first administrator");
  await checks.screen(a, "admin-institutions");
  await checks.noCanaries(a, CANARIES, "admin");
  await checks.noCanaries(u, CANARIES, "admin");
  await u.close();
  await a.close();

  // Another institution's admin: her users only, no institutions screen.
  const f = await Session.open(browser, env, "FGEO admin", certificate(env, "FGEO", "admin"));
  await f.goto("/");
  const fnav = f.page.getByRole("navigation", { name: "Navegación principal" });
  await fnav.getByRole("link", { name: "Usuarias" }).waitFor();
  checks.check(!(await fnav.getByRole("link", { name: "Instituciones" }).isVisible()),
    "FGEO's admin: no institutions screen in her navigation");
  await fnav.getByRole("link", { name: "Usuarias" }).click();
  await f.page.getByRole("rowheader", { name: "fiscal" }).waitFor();
  checks.check(!(await f.page.getByRole("rowheader", { name: NEW_USER }).isVisible()),
    "FGEO's admin: her institution's users, not IEEPCO's");
  await checks.noCanaries(f, CANARIES, "admin");
  await f.close();

  // A caseworker: no admin screen offered; typed by hand, the node refuses.
  const c = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  await c.goto("/");
  const cnav = c.page.getByRole("navigation", { name: "Navegación principal" });
  await cnav.getByRole("link", { name: "Casos", exact: true }).waitFor();
  checks.check(!(await cnav.getByRole("link", { name: "Usuarias" }).isVisible()),
    "caseworker: no users screen in her navigation");
  await c.goto("/usuarias");
  const box = c.page.locator(".error-box");
  await box.waitFor();
  const text = await box.textContent();
  checks.check(text.includes("Ninguno de sus roles permite esta acción") && (await c.page.locator("table").count()) === 0,
    `caseworker: the users address shows the node's refusal, not a list ("${text.trim()}")`);
  await checks.screen(c, "admin-users-refused-caseworker");
  await checks.noCanaries(c, CANARIES, "admin");
  await c.close();
}
