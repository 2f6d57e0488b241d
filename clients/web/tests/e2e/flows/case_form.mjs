// The register form filled in for a political-violence case (the flows
// that register one: register.mjs, supervisor_close.mjs): kind, a conduct,
// a type of violence, today's reception date, municipality, risk level,
// the victim's position and the personal data given.
const today = () => {
  const n = new Date();
  const p = (x) => String(x).padStart(2, "0");
  return `${n.getFullYear()}-${p(n.getMonth() + 1)}-${p(n.getDate())}`;
};

export async function fillPoliticalViolenceCase(page, v) {
  await page.getByLabel("Tipo de caso").selectOption({ label: "Violencia política contra las mujeres en razón de género" });
  const conducts = page.getByRole("group", { name: /Conductas/ });
  await conducts.waitFor();
  await conducts.getByLabel("Amenazar o intimidar para forzar su renuncia").check();
  await page.getByRole("group", { name: "Tipos de violencia" }).getByLabel("Psicológica").check();
  await page.getByLabel("Fecha de recepción").fill(today());
  await page.getByLabel("Municipio").fill(v.municipality ?? "067");
  await page.getByLabel("Nivel de riesgo").selectOption({ label: v.risk ?? "Alto" });
  await page.getByLabel("Cargo o calidad").selectOption({ label: "Regidora" });
  await page.getByLabel("Nombre de la víctima").fill(v.victimName);
  await page.getByLabel("Teléfono de contacto").fill(v.phone);
  await page.getByLabel("Correo electrónico de contacto").fill(v.email);
  await page.getByLabel("Narración de los hechos").fill(v.narrative);
  await page.getByLabel("Nombres de las personas agresoras").fill(v.aggressor);
}
