// The client's own routes, by path: /, /casos, /casos/nuevo, /estadisticas,
// /casos/{folio}, /casos/{folio}/canalizar, /canalizaciones,
// /canalizaciones/{sender}/{id}, /catalogos, /auditoria,
// /auditoria/entradas, /usuarias, /instituciones, /registro. A folio or a referral id is
// not personal data; nothing else ever goes into a path or a query string.
import { useEffect, useState } from "preact/hooks";

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  history.pushState(null, "", path);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const on = () => setPath(window.location.pathname);
    window.addEventListener("popstate", on);
    return () => window.removeEventListener("popstate", on);
  }, []);
  return path;
}

// A link that routes without reloading (a reload would drop the page's
// memory, which is where personal data lives).
export function onLink(ev: MouseEvent): void {
  const a = ev.currentTarget as HTMLAnchorElement;
  if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
  ev.preventDefault();
  navigate(a.pathname);
}

// A referral's path: institutions/{sender}/referrals/{id} is
// /canalizaciones/{sender}/{id}.
export function referralPath(name: string): string {
  const [, sender, , id] = name.split("/");
  return `/canalizaciones/${encodeURIComponent(sender)}/${encodeURIComponent(id)}`;
}

export function referralName(sender: string, id: string): string {
  return `institutions/${sender}/referrals/${id}`;
}
