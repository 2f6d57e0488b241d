// The web client's own texts, Spanish first, English second. Catalogue
// labels are not here (labels.ts reads them from the .proto files' label
// options, as the CLI does); error texts come from the node.
export type Lang = "es" | "en";

const texts = {
  appName: { es: "Resguardo", en: "Resguardo" },
  switchTo: { es: "English", en: "Español" },
  switchToLabel: {
    es: "Cambiar el idioma a inglés",
    en: "Change the language to Spanish",
  },
  skipToContent: { es: "Saltar al contenido", en: "Skip to content" },
  catalogues: { es: "Catálogos", en: "Catalogues" },
  cataloguesIntro: {
    es: "Los códigos que acepta el nodo y sus etiquetas.",
    en: "The codes the node accepts and their labels.",
  },
  code: { es: "Código", en: "Code" },
  labelColumn: { es: "Etiqueta", en: "Label" },
  chooseCatalogue: { es: "Catálogo", en: "Catalogue" },
  requestId: { es: "Identificador de solicitud", en: "Request id" },
  unreachable: {
    es: "No se pudo contactar al nodo. Reintente más tarde.",
    en: "The node could not be reached. Retry later.",
  },
} satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof texts;

export function t(key: TextKey, lang: Lang): string {
  return texts[key][lang];
}
