// The personal data of one case page, read only after a declared purpose
// and held in this hook's memory alone: dropped when the page is left (the
// component unmounts), when the user hides it, and after the idle time
// (idle.ts).
import { useEffect, useState } from "preact/hooks";
import { useIdle } from "./idle";
import { client, toApiError } from "./api";
import type { ApiError } from "./api";
import { CaseService, CaseView } from "./gen/resguardo/v1/case_service_pb";
import type { Case, FollowUp } from "./gen/resguardo/v1/case_pb";
import type { Lang } from "./i18n";

const cases = client(CaseService);

export interface Revealed {
  purpose: number;
  full: Case;
  followUps: FollowUp[];
}

export function usePersonalData(name: string, lang: Lang) {
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [idleHidden, setIdleHidden] = useState(false);
  useIdle(revealed !== null, () => {
    setRevealed(null);
    setIdleHidden(true);
  });

  const hide = () => setRevealed(null);

  // Leaving the page drops the data with the component; a new case drops
  // the old one's.
  useEffect(() => hide, [name]);

  const reveal = async (purpose: number) => {
    setError(null);
    setIdleHidden(false);
    try {
      const [full, fu] = await Promise.all([
        cases.getCase({ name, view: CaseView.FULL, purpose }),
        cases.listFollowUps({ parent: name, purpose, pageSize: 500 }),
      ]);
      setRevealed({ purpose, full, followUps: fu.followUps });
    } catch (e) {
      setError(toApiError(e, lang));
    }
  };

  // After a write while shown: read again under the same purpose.
  const refresh = async () => {
    if (revealed) await reveal(revealed.purpose);
  };

  return { revealed, reveal, hide, refresh, error, idleHidden };
}
