// Texts of referrals: the consent form, the inbox and outbox, the referral
// page.
export const referralTexts = {
  referTitle: { es: "Canalizar el caso", en: "Refer the case" },
};
