// The idle time after which shown personal data is dropped: index.html's
// <meta name="resguardo-idle-seconds"> (default 300), restarted by any key,
// click or scroll.
import { useEffect } from "preact/hooks";

export function idleMs(): number {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="resguardo-idle-seconds"]');
  const s = Number(meta?.content);
  return (Number.isFinite(s) && s > 0 ? s : 300) * 1000;
}

// While `active`, calls onIdle after the idle time without activity.
export function useIdle(active: boolean, onIdle: () => void): void {
  useEffect(() => {
    if (!active) return;
    let timer: number | undefined;
    const arm = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onIdle, idleMs());
    };
    arm();
    const events = ["keydown", "pointerdown", "scroll"];
    for (const e of events) window.addEventListener(e, arm, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, arm);
    };
  }, [active]);
}
