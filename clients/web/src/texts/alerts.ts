// Texts of the alerts badge and list.
export const alertTexts = {
  navAlerts: { es: "Alertas", en: "Alerts" },
  alertsNew: { es: "nuevas", en: "new" },
  alertsTitle: { es: "Alertas de la institución", en: "The institution's alerts" },
  alertsLive: { es: "Se actualizan solas, sin recargar la página.", en: "They update by themselves, without reloading the page." },
  noAlerts: { es: "No hay alertas.", en: "No alerts." },
  colAlert: { es: "Alerta", en: "Alert" },
  colAbout: { es: "Sobre", en: "About" },
  colRaised: { es: "Fecha", en: "Raised" },
  colDue: { es: "Vence", en: "Due" },
  newAlert: { es: "Nueva alerta", en: "New alert" },
};
