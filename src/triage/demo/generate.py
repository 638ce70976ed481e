"""Generate the bundled demo data (run once; the output in src/triage/data/demo/ is committed).

    python -m triage.demo.generate          # rewrites src/triage/data/demo/

Fixed seed, so the output is the same on every run. It writes what real sources give:
two CRM exports (English CSV in UTF-8, French CSV with ; in windows-1252), the sent folder
(outbound.mbox), the inbox (replies.mbox), bounce notices as .eml files, and 6 weeks of past
decisions by three reps (decisions.csv, with undo events). manifest.json records the newest
activity time (`base`) and every date phrase written into bodies, so that `build_demo` can
move the whole data set to "now".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import mailbox
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from triage.demo import bounces as bounce_formats
from triage.demo.dates import fmt
from triage.demo.texts import FOLLOW_UP, OUR_ANSWER, OUTBOUND, REPLIES, VENDORS, WHEN

SEED = 20261120
#: The newest activity in the bundled data; build_demo moves it to "now".
BASE = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
OUT = Path(__file__).resolve().parent.parent / "data" / "demo"
OUR_DOMAIN = "acme-sales.io"
REPS = {
    "julie": ("Julie Martin", "julie.martin@acme-sales.io"),
    "karim": ("Karim Benali", "karim.benali@acme-sales.io"),
    "emma": ("Emma Clarke", "emma.clarke@acme-sales.io"),
}

FR_FIRST = ("Camille Nicolas Sophie Thomas Claire Julien Élodie Mathieu Aurélie Sébastien Léa "
            "François Hélène Guillaume Chloé Benoît Inès Jérôme Amélie Stéphane Noémie Loïc "
            "Margaux Rémi Céline Adrien Maëlle Hugo Océane Gaëtan").split()
FR_LAST = ("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
           "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
           "Dupont Lambert Bonnet François Martinez Légaré").split()
EN_FIRST = ("Olivia James Amelia Oliver Isla George Ava Noah Mia Arthur Grace Leo Freya Oscar "
            "Emily Harry Sophie Jack Ella Henry Chloe Charlie Lucy Jacob Ruby Alfie Daisy "
            "Thomas Evie Samuel").split()
EN_LAST = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
           "Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis Harris "
           "Young King Turner Hill Cooper Ward").split()
FR_COMPANIES = ("Atelier Morin, Transports Girard, Biolab Santé, Cabinet Perret, Menuiserie Roux, "
                "Groupe Hexa, Clairdoc, Logifret, Vinaigrerie du Sud, Optimia, Brasserie Nantaise, "
                "Pharmacie Centrale, Immo Horizon, Axiome Conseil, Batiplus, Ferme des Lilas, "
                "Numéricâble Pro, Savonnerie Lyonnaise, Datavence, Agence Pixel, Mécanique Arnaud, "
                "Studio Lumière, Groupe Véga, Crèches Arc-en-Ciel, Fromagerie Bel Air, "
                "Assurances Lemoine, Textiles Dorian, Orion Logistique, Kinéo, Solvéa").split(", ")
EN_COMPANIES = ("Northwind Analytics, Brightpath Health, Kestrel Freight, Harbor Labs, Fieldstone "
                "Manufacturing, Quanta Retail, Bluegate Finance, Ironbark Construction, Mosaic "
                "Agency, Cobalt Systems, Greenleaf Foods, Summit Legal, Tidewater Logistics, "
                "Pinecrest Software, Lumen Insurance, Redwood Dental, Orbital Media, Crescent "
                "Hotels, Atlas Robotics, Maple Education, Vertex Payments, Granite HR, "
                "Silverline Telecom, Beacon Security, Driftwood Travel, Nimbus Cloud, "
                "Riverside Clinics, Foxglove Retail, Keystone Energy, Willow Architects").split(", ")
INDUSTRIES = ["saas", "manufacturing", "logistics", "healthcare", "retail", "agency", "finance",
              "construction"]
SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"]
PERSONAS = {
    "sales_leader": ({"en": "Head of Sales", "fr": "Directeur commercial"},
                     {"en": "VP Sales", "fr": "Responsable des ventes"}),
    "founder": ({"en": "CEO & Founder", "fr": "Gérant"}, {"en": "Founder", "fr": "Fondatrice"}),
    "revops": ({"en": "Sales Ops Manager", "fr": "Responsable RevOps"},
               {"en": "Revenue Operations Lead", "fr": "Chargée des opérations commerciales"}),
    "finance": ({"en": "CFO", "fr": "DAF"}, {"en": "Finance Director", "fr": "Directrice financière"}),
    "marketing": ({"en": "Marketing Director", "fr": "Directrice marketing"},
                  {"en": "Growth Lead", "fr": "Responsable acquisition"}),
}
CHANNELS = ["cold_email"] * 6 + ["inbound"] * 2 + ["referral"] * 2 + ["event"]

#: scenario -> how many leads (replied ones first; "stale"/"fresh" got no reply)
SCENARIOS = {
    "interested": 10, "meeting": 5, "info_request": 12, "inbound": 6,
    "timing": 8, "fit": 5, "budget": 5, "competition": 6, "decision_maker": 4,
    "not_interested": 7, "out_of_office": 10, "bounce": 8, "unsubscribe": 9,
    "wrong_person": 7, "revived": 2, "stale": 30, "fresh": 10,
}
SUB_REASONS = {
    "timing": ["contract_locked", "busy_period", "hiring_freeze"],
    "fit": ["too_small", "no_use_case", "compliance_requirement"],
    "budget": ["no_budget", "too_expensive", "budget_frozen"],
    "competition": ["existing_vendor", "chose_competitor", "existing_vendor"],
    "decision_maker": ["no_authority", "no_authority"],
}
#: Hostile content: Rich markup, terminal escapes and bidi controls in names and subjects;
#: spreadsheet formulas in CRM fields (the export neutralises them).
HOSTILE = [
    {"name": "[bold red]URGENT[/bold red] Admin", "company": "=HYPERLINK(\"http://evil.example\",\"Click me\")"},
    {"name": "Max \x1b[31mPower\x1b[0m", "subject": "Re: \x1b]0;pwned\x07\x1b[2J[blink]Free money[/blink]"},
    {"name": "Zoé [link=https://evil.example]Clique[/link]", "company": "@SUM(1+1)*cmd|' /C calc'!A0"},
    {"name": "Rex \u202eredro\u202c Tester", "subject": "Re: [/] unbalanced [/bold] markup \x1b[5m"},
]


@dataclass
class Lead:
    key: int
    lang: str
    first: str
    last: str
    company: str
    domain: str
    title: str
    persona: str
    industry: str
    size: str
    channel: str
    owner: str
    fit: float
    scenario: str
    crm_id: str
    email: str = ""
    name: str = ""
    hostile: dict = field(default_factory=dict)


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if c.isascii() and (c.isalnum() or c in " -")).lower()
    return "-".join(text.replace("-", " ").split())


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.phrases: dict[tuple[str, str], str] = {}
        self.outbound: list[tuple[datetime, bytes]] = []
        self.inbound: list[tuple[datetime, bytes]] = []
        self.bounces: list[tuple[str, bytes]] = []
        self.decisions: list[dict] = []
        self.leads: list[Lead] = []
        self.msg_counter = 0
        self.pending_referrals: list = []

    # -- helpers ----------------------------------------------------------------------------

    def phrase(self, at: datetime, style: str) -> str:
        text = fmt(at, style)
        self.phrases[(text, style)] = at.isoformat()
        return text

    def msgid(self, domain: str, at: datetime) -> str:
        self.msg_counter += 1
        h = hashlib.sha1(f"{SEED}-{self.msg_counter}".encode()).hexdigest()[:12]
        return f"{at:%Y%m%d%H%M%S}.{h}@{domain}"

    def work_time(self, at: datetime) -> datetime:
        """Move to a weekday, business hours (UTC 7-17)."""
        while at.weekday() >= 5:
            at += timedelta(days=1)
        hour = min(max(at.hour, 7), 17)
        return at.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60),
                          microsecond=0)

    # -- leads ------------------------------------------------------------------------------

    def make_leads(self) -> None:
        scenarios = [s for s, n in SCENARIOS.items() for _ in range(n)]
        self.rng.shuffle(scenarios)
        used_emails: set[str] = set()
        fr_companies, en_companies = list(FR_COMPANIES), list(EN_COMPANIES)
        for i, scenario in enumerate(scenarios):
            lang = "fr" if self.rng.random() < 0.5 else "en"
            pool_companies = fr_companies if lang == "fr" else en_companies
            company = pool_companies[i % len(pool_companies)]
            first = self.rng.choice(FR_FIRST if lang == "fr" else EN_FIRST)
            last = self.rng.choice(FR_LAST if lang == "fr" else EN_LAST)
            domain = slug(company).replace("-", "") + (".fr" if lang == "fr" else ".com")
            email = f"{slug(first)}.{slug(last)}@{domain}"
            while email in used_emails:
                email = f"{slug(first)[0]}{self.rng.randrange(10, 99)}.{slug(last)}@{domain}"
            used_emails.add(email)
            persona = self.rng.choice(list(PERSONAS))
            title = self.rng.choice(PERSONAS[persona])[lang]
            channel = "inbound" if scenario == "inbound" else self.rng.choice(CHANNELS)
            if channel == "inbound" and scenario != "inbound":
                channel = "cold_email"
            owner = self.rng.choice(["julie", "karim"] if lang == "fr" else ["emma", "karim"])
            lead = Lead(
                key=i, lang=lang, first=first, last=last, company=company, domain=domain,
                title=title, persona=persona, industry=self.rng.choice(INDUSTRIES),
                size=self.rng.choice(SIZES), channel=channel, owner=owner,
                fit=round(self.rng.uniform(0.15, 0.95), 2), scenario=scenario,
                crm_id=f"{'FR' if lang == 'fr' else 'EN'}-{10400 + i}", email=email,
                name=f"{first} {last}",
            )
            self.leads.append(lead)
        # a few hostile ones, spread over different scenarios
        hostile_targets = [ld for ld in self.leads if ld.scenario in
                           ("interested", "info_request", "fit", "stale")][:len(HOSTILE)]
        for lead, h in zip(hostile_targets, HOSTILE):
            lead.hostile = h
            lead.name = h.get("name", lead.name)
            lead.first, lead.last = lead.name, ""  # the CRM has it all in the first-name field
            lead.company = h.get("company", lead.company)

    # -- mail -------------------------------------------------------------------------------

    def mail(self, *, frm: tuple[str, str], to: tuple[str, str], subject: str, body: str,
             at: datetime, msgid: str, reply_to: list[str] | None = None,
             charset: str = "utf-8", cte: str = "8bit", html: bool = False,
             extra: dict | None = None) -> bytes:
        m = EmailMessage()
        m["From"] = formataddr(frm)
        m["To"] = formataddr(to)
        m["Subject"] = subject
        m["Date"] = format_datetime(at)
        m["Message-ID"] = f"<{msgid}>"
        if reply_to:
            m["In-Reply-To"] = f"<{reply_to[-1]}>"
            m["References"] = " ".join(f"<{r}>" for r in reply_to)
        for k, v in (extra or {}).items():
            m[k] = v
        try:
            body.encode(charset)
        except UnicodeEncodeError:
            charset = "utf-8"
        if html:
            paragraphs = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in body.split("\n\n"))
            m.set_content(
                f"<html><body style=\"font-family:Arial\">{paragraphs}"
                "<div class=\"sig\"><small>Sent from Outlook</small></div></body></html>",
                subtype="html", charset=charset, cte=cte,
            )
        else:
            m.set_content(body, charset=charset, cte=cte)
        return m.as_bytes()

    def quote(self, lead: Lead, out_body: str, out_at: datetime, sender: tuple[str, str]) -> str:
        lines = "\n".join(f"> {ln}" if ln else ">" for ln in out_body.splitlines())
        if lead.lang == "fr":
            head = f"{self.phrase(out_at, 'fr_quote')}, {sender[0]} <{sender[1]}> a écrit :"
        else:
            head = f"{self.phrase(out_at, 'en_quote')}, {sender[0]} <{sender[1]}> wrote:"
        return f"\n\n{head}\n{lines}\n"

    def run(self) -> None:
        self.make_leads()
        for lead in self.leads:
            self.thread(lead)
        self.referrals()

    def thread(self, lead: Lead) -> None:
        rng = self.rng
        rep_name, rep_addr = REPS[lead.owner]
        me = rep_name.split()[0]
        sender = (rep_name, rep_addr)
        lead_addr = (lead.name, lead.email)
        fill = {"first": lead.first, "company": lead.company, "me": me}
        scenario = lead.scenario
        if scenario == "inbound":
            at = self.work_time(BASE - timedelta(days=rng.uniform(0.2, 40)))
            body = rng.choice(REPLIES["inbound"][lead.lang]).format(**fill)
            subject = "Demande de démo" if lead.lang == "fr" else "Demo request"
            self.reply(lead, subject, body, at, [], decided="interested")
            return
        # first touch: 2 to 48 days ago (stale leads: at least 9 days ago)
        if scenario == "stale":
            first_at = BASE - timedelta(days=rng.uniform(9, 48))
        elif scenario == "fresh":
            first_at = BASE - timedelta(days=rng.uniform(0.5, 5))
        else:
            first_at = BASE - timedelta(days=rng.uniform(2, 48))
        first_at = self.work_time(first_at)
        if first_at > BASE:
            first_at -= timedelta(days=3)
        subject_t, body_t = rng.choice(OUTBOUND[lead.lang])
        subject = subject_t.format(**fill)
        body = body_t.format(**fill)
        out_id = self.msgid(OUR_DOMAIN, first_at)
        self.outbound.append((first_at, self.mail(
            frm=sender, to=lead_addr, subject=subject, body=body, at=first_at, msgid=out_id)))
        thread_ids = [out_id]
        last_out_at, last_body = first_at, body
        if (scenario == "stale" and rng.random() < 0.6) or (rng.random() < 0.2 and scenario != "fresh"):
            fu_at = self.work_time(first_at + timedelta(days=rng.uniform(3, 5)))
            if fu_at < BASE - timedelta(days=8 if scenario == "stale" else 0.3):
                fsub, fbody = FOLLOW_UP[lead.lang]
                fu_body = fbody.format(**fill) + self.quote(lead, body, first_at, sender)
                fu_id = self.msgid(OUR_DOMAIN, fu_at)
                self.outbound.append((fu_at, self.mail(
                    frm=sender, to=lead_addr, subject=fsub.format(subject=subject), body=fu_body,
                    at=fu_at, msgid=fu_id, reply_to=thread_ids)))
                thread_ids = [*thread_ids, fu_id]
                last_out_at, last_body = fu_at, fbody.format(**fill)
        if scenario == "stale":
            if last_out_at < BASE - timedelta(days=25) and rng.random() < 0.5:
                self.decide(lead, last_out_at + timedelta(days=rng.uniform(14, 18)), "no_response",
                            "no_response", note="3 touches, no reply" if lead.lang == "en"
                            else "3 relances sans réponse")
            return
        if scenario == "fresh":
            return
        if scenario == "bounce":
            self.bounce(lead, subject, out_id, first_at, sender)
            return
        reply_at = self.work_time(last_out_at + timedelta(hours=rng.uniform(2, 96)))
        if reply_at > BASE:
            reply_at = BASE - timedelta(minutes=rng.randrange(30, 600))
        self.reply_scenario(lead, subject, thread_ids, reply_at, last_out_at, last_body, sender,
                            fill)

    def reply_scenario(self, lead, subject, thread_ids, at, out_at, out_body, sender, fill) -> None:
        rng = self.rng
        lang = lead.lang
        scenario = lead.scenario
        pool_key = {"meeting": "interested", "revived": "timing"}.get(scenario, scenario)
        colleague_first = rng.choice(FR_FIRST if lang == "fr" else EN_FIRST)
        colleague_last = rng.choice(FR_LAST if lang == "fr" else EN_LAST)
        colleague_email = f"{slug(colleague_first)}.{slug(colleague_last)}@{lead.domain}"
        fill = {**fill, "colleague": f"{colleague_first} {colleague_last}",
                "colleague_email": colleague_email, "vendor": rng.choice(VENDORS),
                "when": rng.choice(WHEN[lang])}
        extra = {}
        revisit = None
        if scenario == "out_of_office":
            back = self.work_time(at + timedelta(days=rng.uniform(3, 21))).replace(hour=8, minute=0)
            revisit = back
            fill["back"] = self.phrase(back, "fr_dm" if lang == "fr" else "en_dm")
            if rng.random() < 0.5:
                extra["Auto-Submitted"] = "auto-replied"
            elif rng.random() < 0.5:
                extra["X-Autoreply"] = "yes"
        body = rng.choice(REPLIES[pool_key][lang]).format(**fill)
        if scenario != "out_of_office" and rng.random() < 0.8:
            body += self.quote(lead, out_body, out_at, sender)
        subj = lead.hostile.get("subject") or f"Re: {subject}"
        if scenario == "out_of_office":
            subj = (f"Réponse automatique : {subject}" if lang == "fr"
                    else f"Automatic reply: {subject}")
        charset, cte, html = "utf-8", "8bit", False
        if lang == "fr":
            charset = rng.choice(["utf-8", "utf-8", "windows-1252", "iso-8859-1"])
        if "\n>" not in body and rng.random() < 0.4:
            cte = rng.choice(["quoted-printable", "base64"])
        if rng.random() < 0.08:
            html = True
        decided = {
            "interested": "interested", "meeting": "interested", "info_request": "in_discussion",
            "out_of_office": "waiting", "unsubscribe": "unsubscribed",
            "wrong_person": "disqualified",
        }.get(scenario, "closed_lost")
        if scenario == "timing" or scenario == "revived":
            decided = "nurturing"
        reply_id = self.reply(lead, subj, body, at, thread_ids, decided=decided, charset=charset,
                              cte=cte, html=html, extra=extra, revisit=revisit)
        if scenario == "meeting":  # our answer, then their confirmation
            ans_at = at + timedelta(minutes=rng.randrange(20, 240))
            ans_id = self.msgid(OUR_DOMAIN, ans_at)
            ids = [*thread_ids, reply_id]
            self.outbound.append((ans_at, self.mail(
                frm=sender, to=(lead.name, lead.email), subject=f"Re: {subject}",
                body=OUR_ANSWER[lang].format(**fill), at=ans_at, msgid=ans_id, reply_to=ids)))
            conf_at = ans_at + timedelta(hours=rng.uniform(1, 20))
            if conf_at < BASE:
                self.reply(lead, f"Re: {subject}", REPLIES["confirm"][lang][0].format(**fill),
                           conf_at, [*ids, ans_id], decided="meeting_booked")
        if scenario == "revived":  # a second, recent reply after the nurturing decision
            rev_at = BASE - timedelta(hours=rng.uniform(2, 40))
            self.reply(lead, f"Re: {subject}", REPLIES["revived"][lang][0].format(**fill), rev_at,
                       [*thread_ids, reply_id], decided=None)
        if scenario == "wrong_person":
            self.pending_referrals.append((lead, colleague_first, colleague_last, colleague_email,
                                           at))

    def reply(self, lead: Lead, subject: str, body: str, at: datetime, thread_ids: list[str],
              decided: str | None, charset="utf-8", cte="8bit", html=False, extra=None,
              revisit=None) -> str:
        domain = lead.domain if self.rng.random() < 0.6 else "mail.gmail.com"
        rid = self.msgid(domain, at)
        raw = self.mail(frm=(lead.name, lead.email), to=REPS[lead.owner], subject=subject,
                        body=body, at=at, msgid=rid, reply_to=thread_ids or None,
                        charset=charset, cte=cte, html=html, extra=extra)
        self.inbound.append((at, raw))
        if decided:
            self.maybe_decide(lead, at, decided, revisit)
        return rid

    def maybe_decide(self, lead: Lead, reply_at: datetime, status: str, revisit) -> None:
        rng = self.rng
        decided_at = reply_at + timedelta(hours=rng.uniform(1, 40))
        if decided_at > BASE - timedelta(days=2) or rng.random() < 0.18:
            return  # still in the queue
        if decided_at < BASE - timedelta(days=42):
            return
        scenario = lead.scenario
        reason = sub = secondary = note = None
        if status in ("closed_lost", "nurturing"):
            reason = {"revived": "timing"}.get(scenario, scenario)
            if reason in SUB_REASONS and rng.random() < 0.7:
                sub = rng.choice(SUB_REASONS[reason])
            if reason == "timing" and sub and rng.random() < 0.3:
                secondary = "budget"
            if scenario == "not_interested" and rng.random() < 0.45:
                reason, note = "unknown", ("asked: mostly timing, budget or fit?" if lead.lang == "en"
                                           else "demandé : plutôt timing, budget ou adéquation ?")
            if status == "nurturing":
                revisit = decided_at + timedelta(days=90)
        elif status == "unsubscribed":
            reason = "not_interested"
        elif status == "disqualified":
            reason, sub = "decision_maker", "referral"
            note = "referred to a colleague" if lead.lang == "en" else "renvoi vers un collègue"
        elif status == "waiting" and revisit is not None:
            note = "back from leave" if lead.lang == "en" else "retour de congés"
        self.decide(lead, decided_at, status, reason, secondary=secondary, sub=sub, note=note,
                    revisit=revisit)

    def decide(self, lead, at, status, reason, secondary=None, sub=None, note=None,
               revisit=None) -> None:
        self.decisions.append({
            "lead email": lead.email, "rep": lead.owner, "decided at": at,
            "status": status, "primary reason": reason or "", "secondary reason": secondary or "",
            "sub reason": sub or "", "note": note or "",
            "revisit on": revisit.date().isoformat() if revisit else "", "source": "manual",
            "undone at": "", "undone by": "",
        })

    def bounce(self, lead, subject, out_id, sent_at, sender) -> None:
        rng = self.rng
        fmt_fn = bounce_formats.FORMATS[len(self.bounces) % len(bounce_formats.FORMATS)]
        at = sent_at + timedelta(seconds=rng.randrange(5, 3600))
        notice_id = hashlib.sha1(f"bounce-{lead.key}".encode()).hexdigest()[:16]
        raw = fmt_fn(lead.email, sender[1], subject, out_id, at, sent_at, notice_id,
                     f"----=_Part_{notice_id[:10]}")
        self.bounces.append((f"{len(self.bounces) + 1:02d}-{fmt_fn.__name__}.eml", raw))
        decided_at = at + timedelta(hours=rng.uniform(1, 30))
        if decided_at < BASE - timedelta(days=2) and rng.random() < 0.7:
            self.decide(lead, decided_at, "bounced", None)

    def referrals(self) -> None:
        """Wrong-person replies naming a colleague: we write to the colleague (a new lead)."""
        for lead, first, last, email, at in self.pending_referrals[:4]:
            rep_name, rep_addr = REPS[lead.owner]
            out_at = self.work_time(at + timedelta(days=1))
            if out_at >= BASE:
                continue
            ref = Lead(key=1000 + lead.key, lang=lead.lang, first=first, last=last,
                       company=lead.company, domain=lead.domain, title=lead.title,
                       persona="sales_leader", industry=lead.industry, size=lead.size,
                       channel="referral", owner=lead.owner, fit=min(1.0, lead.fit + 0.1),
                       scenario="referral", crm_id=f"REF-{lead.key}", email=email,
                       name=f"{first} {last}")
            self.leads.append(ref)
            fill = {"first": first, "company": lead.company, "me": rep_name.split()[0]}
            subject_t, body_t = OUTBOUND[lead.lang][0]
            body = (f"{lead.first} {lead.last} suggested I contact you.\n\n" if lead.lang == "en"
                    else f"{lead.first} {lead.last} m'a conseillé de vous contacter.\n\n")
            self.outbound.append((out_at, self.mail(
                frm=(rep_name, rep_addr), to=(ref.name, email), subject=subject_t.format(**fill),
                body=body + body_t.format(**fill), at=out_at,
                msgid=self.msgid(OUR_DOMAIN, out_at))))

    def undos(self) -> None:
        """Three withdrawn decisions: a misclick corrected, a team-lead review, a late change."""
        done = sorted((d for d in self.decisions if d["status"] == "closed_lost"),
                      key=lambda d: d["decided at"])
        picks = [done[len(done) // 5], done[len(done) // 2], done[-3]]
        for n, d in enumerate(picks):
            if n == 0:  # misclick: undone 2 minutes later, re-decided with the right code
                d["undone at"] = d["decided at"] + timedelta(minutes=2)
                d["undone by"] = d["rep"]
                fixed = dict(d, **{"decided at": d["decided at"] + timedelta(minutes=3),
                                   "primary reason": "budget", "sub reason": "",
                                   "secondary reason": "", "undone at": "", "undone by": ""})
                self.decisions.append(fixed)
            elif n == 1:  # the team lead sends it back to the queue
                d["undone at"] = d["decided at"] + timedelta(days=1)
                d["undone by"] = "emma" if d["rep"] != "emma" else "julie"
            else:
                d["undone at"] = d["decided at"] + timedelta(hours=3)
                d["undone by"] = d["rep"]

    # -- output -----------------------------------------------------------------------------

    def write(self, out: Path = OUT) -> dict:
        out.mkdir(parents=True, exist_ok=True)
        for old in (out / "bounces").glob("*.eml"):
            old.unlink()
        self.write_csvs(out)
        for name, items in (("outbound.mbox", self.outbound), ("replies.mbox", self.inbound)):
            path = out / name
            path.unlink(missing_ok=True)
            box = mailbox.mbox(path)
            box.lock()
            for at, raw in sorted(items, key=lambda x: x[0]):
                msg = mailbox.mboxMessage(raw)
                msg.set_from("MAILER-DAEMON", at.replace(tzinfo=None).timetuple())
                box.add(msg)
            box.flush()
            box.unlock()
            box.close()
        (out / "bounces").mkdir(exist_ok=True)
        for name, raw in self.bounces:
            (out / "bounces" / name).write_bytes(raw)
        counts = {
            "leads": len(self.leads),
            "outbound": len(self.outbound),
            "replies": len(self.inbound),
            "bounces": len(self.bounces),
            "decisions": len(self.decisions),
            "undos": sum(1 for d in self.decisions if d["undone at"]),
            "stale": sum(1 for ld in self.leads if ld.scenario == "stale"),
        }
        newest = max(
            [at for at, _ in self.outbound + self.inbound]
            + [d["decided at"] for d in self.decisions]
            + [d["undone at"] for d in self.decisions if d["undone at"]]
        )
        manifest = {
            "base": newest.isoformat(),
            "seed": SEED,
            "our_domains": [OUR_DOMAIN],
            "reps": {k: v[1] for k, v in REPS.items()},
            "counts": counts,
            "files": ["crm-leads-en.csv", "export-crm-fr.csv", "outbound.mbox", "replies.mbox",
                      "bounces", "decisions.csv"],
            "phrases": [{"text": t, "style": s, "at": at}
                        for (t, s), at in sorted(self.phrases.items())],
        }
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
        return counts

    def write_csvs(self, out: Path) -> None:
        en = [ld for ld in self.leads if ld.lang == "en"]
        fr = [ld for ld in self.leads if ld.lang == "fr"]
        buf = io.StringIO(newline="")
        w = csv.writer(buf)
        w.writerow(["CRM id", "Email", "Full name", "Company", "Title", "Persona", "Industry",
                    "Company size", "Channel", "Owner", "Fit", "Language"])
        for ld in en:
            w.writerow([ld.crm_id, ld.email, ld.name, ld.company, ld.title, ld.persona,
                        ld.industry, ld.size, ld.channel, ld.owner, f"{ld.fit:.2f}", "en"])
        (out / "crm-leads-en.csv").write_bytes(buf.getvalue().encode("utf-8"))
        buf = io.StringIO(newline="")
        w = csv.writer(buf, delimiter=";")
        w.writerow(["Identifiant", "Courriel", "Prénom", "Nom", "Société", "Poste", "Persona",
                    "Secteur", "Taille", "Canal", "Propriétaire", "Score", "Langue"])
        for ld in fr:
            w.writerow([ld.crm_id, ld.email, ld.first, ld.last, ld.company, ld.title,
                        ld.persona, ld.industry, ld.size, ld.channel, ld.owner,
                        f"{round(ld.fit * 100)} %", "français"])
        # windows-1252, as Excel on a French Windows saves it; hostile rows may not encode
        (out / "export-crm-fr.csv").write_bytes(buf.getvalue().encode("cp1252", errors="replace"))
        buf = io.StringIO(newline="")
        cols = ["lead email", "rep", "decided at", "status", "primary reason",
                "secondary reason", "sub reason", "note", "revisit on", "source", "undone at",
                "undone by"]
        w = csv.DictWriter(buf, fieldnames=cols)
        w.writeheader()
        for d in sorted(self.decisions, key=lambda d: d["decided at"]):
            row = dict(d)
            for k in ("decided at", "undone at"):
                if row[k]:
                    row[k] = row[k].isoformat(timespec="seconds")
            w.writerow(row)
        (out / "decisions.csv").write_bytes(buf.getvalue().encode("utf-8"))


def generate(out: Path = OUT) -> dict:
    gen = Generator()
    gen.run()
    gen.undos()
    return gen.write(out)


def main() -> None:
    print(json.dumps(generate()))


if __name__ == "__main__":
    main()
