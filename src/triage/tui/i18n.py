"""Every UI string of the queue screen, in English and French (one small table)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # key: (en, fr)
    "app_title": ("triage", "triage"),
    "queue": ("Queue", "File"),
    "thread": ("Thread", "Fil"),
    "classification": ("Classification", "Classification"),
    "counts": ("Reason counts", "Compteurs de raisons"),
    "decision": ("Decision", "Décision"),
    # bindings
    "b_accept": ("Accept", "Accepter"),
    "b_accept_tip": (
        "Save the suggested status and reason (with any keys pressed)",
        "Enregistrer le statut et la raison suggérés (avec les touches tapées)",
    ),
    "b_next": ("Next", "Suivant"),
    "b_next_tip": ("Next lead in the queue", "Prospect suivant dans la file"),
    "b_prev": ("Previous", "Précédent"),
    "b_prev_tip": ("Previous lead in the queue", "Prospect précédent dans la file"),
    "b_note": ("Note", "Note"),
    "b_note_tip": ("One-line note kept with the decision", "Note d'une ligne gardée avec la décision"),
    "b_revisit": ("Revisit", "Rappel"),
    "b_revisit_tip": (
        "Revisit date: +90d, 2026-09-15, septembre, Q3",
        "Date de rappel : +90d, 2026-09-15, septembre, Q3",
    ),
    "b_undo": ("Undo", "Annuler"),
    "b_undo_tip": ("Undo the last decision (several levels)", "Annuler la dernière décision (plusieurs niveaux)"),
    "b_search": ("Search", "Chercher"),
    "b_search_tip": ("Search name, company, email, subject", "Chercher nom, société, email, objet"),
    "b_filter": ("Filter", "Filtrer"),
    "b_filter_tip": ("Filter by reply class, channel or segment", "Filtrer par classe, canal ou segment"),
    "b_bulk": ("Bulk accept", "Tout accepter"),
    "b_bulk_tip": (
        "Accept every auto-classified bounce, unsubscribe and out-of-office",
        "Accepter tous les rebonds, désinscriptions et absences classés automatiquement",
    ),
    "b_help": ("Help", "Aide"),
    "b_help_tip": ("Every key and every reason definition", "Toutes les touches et définitions"),
    "b_quoted": ("Quoted", "Citations"),
    "b_quoted_tip": ("Show or hide quoted history and signatures", "Afficher ou masquer l'historique cité et les signatures"),
    "b_thread_down": ("Thread ↓", "Fil ↓"),
    "b_thread_down_tip": ("Scroll the thread one page down", "Faire défiler le fil d'une page vers le bas"),
    "b_thread_up": ("Thread ↑", "Fil ↑"),
    "b_thread_up_tip": ("Scroll the thread one page up", "Faire défiler le fil d'une page vers le haut"),
    "b_report": ("Report", "Rapport"),
    "b_report_tip": ("Weekly review report", "Rapport de revue hebdomadaire"),
    "b_calibration": ("Calibration", "Calibrage"),
    "b_calibration_tip": ("Calibration session", "Session de calibrage"),
    "b_palette": ("Commands", "Commandes"),
    "b_palette_tip": ("Command palette: every action by name", "Palette : chaque action par son nom"),
    "b_quit": ("Quit", "Quitter"),
    "b_quit_tip": ("Quit triage (every decision is already saved)", "Quitter (tout est déjà enregistré)"),
    "b_primary_tip": ("Primary reason: {label}", "Raison principale : {label}"),
    "b_secondary_tip": ("Secondary reason: {label}", "Raison secondaire : {label}"),
    "b_status_tip": ("Save with status: {label}", "Enregistrer avec le statut : {label}"),
    "b_clear": ("Clear", "Effacer"),
    "b_clear_tip": ("Clear the keys pressed for this lead", "Effacer les touches tapées pour ce prospect"),
    # panels
    "why": ("why", "pourquoi"),
    "reason_reply": ("reply", "réponse"),
    "reason_stale": ("stale", "sans réponse"),
    "reason_revisit": ("revisit", "rappel"),
    "no_lead": ("Queue empty: nothing left to triage.", "File vide : plus rien à trier."),
    "no_lead_hint": (
        "New replies, stale leads and due revisits appear here.",
        "Les nouvelles réponses, prospects sans réponse et rappels échus apparaissent ici.",
    ),
    "reply_class": ("Reply class", "Classe de réponse"),
    "confidence": ("Confidence", "Confiance"),
    "suggested": ("Suggested", "Suggéré"),
    "evidence": ("Evidence", "Indice"),
    "revisit_on": ("Revisit", "Rappel"),
    "status": ("Status", "Statut"),
    "primary": ("Primary", "Principale"),
    "secondary": ("Secondary", "Secondaire"),
    "sub_reason": ("Sub-reason", "Sous-raison"),
    "note": ("Note", "Note"),
    "none": ("—", "—"),
    "unknown_question": (
        "Is it mostly timing, budget or fit?",
        "Est-ce surtout le timing, le budget ou l'adéquation ?",
    ),
    "final_needs_reason": (
        "{status} is a final status: choose a reason first (reason letter), then save.",
        "{status} est un statut final : choisissez d'abord une raison (lettre), puis enregistrez.",
    ),
    "same_as_primary": (
        "The secondary reason cannot be the primary ({label}).",
        "La raison secondaire ne peut pas être la principale ({label}).",
    ),
    "secondary_needs_primary": (
        "Choose a primary reason before a secondary one.",
        "Choisissez une raison principale avant une secondaire.",
    ),
    "saved": ("Saved {name}: {status}{reason}", "Enregistré {name} : {status}{reason}"),
    "undone": ("Undone: {name}", "Annulé : {name}"),
    "nothing_to_undo": ("Nothing to undo in this session.", "Rien à annuler dans cette session."),
    "session": ("session", "session"),
    "today": ("today", "jour"),
    "week": ("week", "semaine"),
    "session_short": ("sess.", "sess."),
    "today_short": ("today", "jour"),
    "week_short": ("week", "sem."),
    "unknown_share": ("Unknown share", "Part d'Inconnu"),
    "remaining": ("Queue remaining", "Restant dans la file"),
    "per_hour": ("Decisions / hour", "Décisions / heure"),
    "decisions": ("Decisions", "Décisions"),
    "shown": ("shown", "affichés"),
    "of": ("of", "sur"),
    "filter_label": ("Filter", "Filtre"),
    "search_label": ("Search", "Recherche"),
    "any": ("any", "tous"),
    "quoted_hidden": (
        "… quoted history hidden ({n} {lines}) — space to show",
        "… historique cité masqué ({n} {lines}) — espace pour afficher",
    ),
    "signature_hidden": ("… signature hidden ({n} {lines})", "… signature masquée ({n} {lines})"),
    "line": ("line", "ligne"),
    "lines": ("lines", "lignes"),
    "from": ("From", "De"),
    "to": ("To", "À"),
    "outbound": ("sent", "envoyé"),
    "inbound": ("reply", "réponse"),
    # modals
    "sub_reason_title": ("Sub-reason for {label} (Esc skips)", "Sous-raison pour {label} (Échap pour passer)"),
    "note_prompt": ("One-line note (Enter saves, Esc cancels)", "Note d'une ligne (Entrée valide, Échap annule)"),
    "revisit_prompt": (
        "Revisit when? +90d, 2026-09-15, septembre, Q3 (Enter, Esc cancels)",
        "Rappeler quand ? +90d, 2026-09-15, septembre, Q3 (Entrée, Échap annule)",
    ),
    "revisit_bad": ("Cannot read {text!r} as a date.", "Date illisible : {text!r}."),
    "revisit_set": ("Revisit on {day}", "Rappel le {day}"),
    "revisit_not_future": ("{text!r} reads as {day}: a revisit date must be after today.",
                           "{text!r} donne le {day} : un rappel doit être après aujourd'hui."),
    "search_prompt": ("Search (Enter applies, empty clears)", "Recherche (Entrée applique, vide efface)"),
    "filter_title": ("Filter the queue (Esc closes)", "Filtrer la file (Échap ferme)"),
    "filter_class": ("Reply class", "Classe de réponse"),
    "filter_channel": ("Channel", "Canal"),
    "filter_segment": ("Segment (persona, industry or size)", "Segment (persona, secteur ou taille)"),
    "apply": ("Apply", "Appliquer"),
    "clear_filters": ("Clear", "Effacer"),
    "bulk_confirm": (
        "Accept the suggested status for {n} auto-classified leads (bounce, unsubscribe, out of office)?",
        "Accepter le statut suggéré pour {n} prospects classés automatiquement (rebond, désinscription, absence) ?",
    ),
    "bulk_none": ("No auto-classified bounce, unsubscribe or out-of-office in the queue.",
                  "Aucun rebond, désinscription ou absence classé automatiquement dans la file."),
    "bulk_progress": ("Bulk accept: {n} / {total}…", "Acceptation en lot : {n} / {total}…"),
    "bulk_done": ("Bulk accepted {n} leads.", "{n} prospects acceptés en lot."),
    "yes": ("Yes", "Oui"),
    "no": ("No", "Non"),
    "help_title": ("Help — keys and reason codes", "Aide — touches et codes raison"),
    "help_keys": ("Keys", "Touches"),
    "help_reasons": ("Reason codes (letter = primary, Shift+letter = secondary)",
                     "Codes raison (lettre = principale, Maj+lettre = secondaire)"),
    "help_statuses": ("Statuses (letter saves)", "Statuts (la lettre enregistre)"),
    "help_final": ("final, needs a reason", "final, raison obligatoire"),
    "help_final_noreason": ("final", "final"),
    "help_close": ("Esc or h closes this help.", "Échap ou h ferme l'aide."),
    "example": ("Example", "Exemple"),
    "error": ("Not saved: {msg}", "Non enregistré : {msg}"),
}


#: descriptions and tooltips of the modal screens' and the app's bindings, by binding id
BINDING_TEXT: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "input.cancel": (("Cancel", "Annuler"), ("Close without saving", "Fermer sans enregistrer")),
    "confirm.no": (("No", "Non"), ("Do nothing", "Ne rien faire")),
    "confirm.yes": (("Yes", "Oui"), ("Go ahead", "Continuer")),
    "filter.cancel": (("Cancel", "Annuler"), ("Keep the filter", "Garder le filtre")),
    "help.close": (("Close", "Fermer"), ("Back to the queue", "Retour à la file")),
    "app.quit": (("Quit", "Quitter"), ("Quit triage (every decision is already saved)",
                                       "Quitter (tout est déjà enregistré)")),
    # the weekly review (F3)
    "report.previous_week": (("◀ week", "◀ semaine"), ("The week before", "La semaine d'avant")),
    "report.next_week": (("week ▶", "semaine ▶"), ("The week after", "La semaine d'après")),
    "report.overall": (("Overall", "Global"), ("Top reasons overall", "Premières raisons, global")),
    "report.channel": (("Channel", "Canal"), ("Top reasons by channel", "Premières raisons par canal")),
    "report.segment": (("Segment", "Segment"), ("Top reasons by segment", "Premières raisons par segment")),
    "report.reps": (("Reps", "Commerciaux"), ("Unknown share and decisions per rep",
                                              "Part d'Inconnu et décisions par commercial")),
    "report.funnel": (("Funnel", "Entonnoir"), ("Leads by status", "Leads par statut")),
    "report.close": (("Back", "Retour"), ("Back to the queue", "Retour à la file")),
    # calibration (F4)
    "calibration.back": (("Back", "Retour"), ("Back to the session list, or leave calibration",
                                              "Retour à la liste des sessions, ou quitter le calibrage")),
    "calibration.next": (("Next", "Suivant"), ("Next lead (after the last one: the results)",
                                               "Lead suivant (après le dernier : les résultats)")),
    "calibration.next_lead": (("Next", "Suivant"), ("Next lead (after the last one: the results)",
                                                    "Lead suivant (après le dernier : les résultats)")),
    "calibration.previous_lead": (("Previous", "Précédent"), ("Previous lead", "Lead précédent")),
    "calibration.results": (("Results", "Résultats"), ("See the session's agreement results",
                                                       "Voir l'accord de la session")),
    "calibration.new_session": (("New session", "Nouvelle session"),
                                ("Pick 10 past decided leads, stratified across reasons, into a session",
                                 "Prendre 10 leads déjà décidés, répartis entre les raisons, dans une session")),
}


def localize_bindings(node, lang: str) -> None:  # noqa: ANN001 - a Textual DOMNode
    """Give a node's bindings (listed in BINDING_TEXT) their description and tooltip in `lang`."""
    from dataclasses import replace

    i = 1 if lang == "fr" else 0
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            replace(b, description=BINDING_TEXT[b.id][0][i], tooltip=BINDING_TEXT[b.id][1][i])
            if b.id in BINDING_TEXT else b
            for b in bindings
        ]


def tr(key: str, lang: str = "en", **fmt: object) -> str:
    """The UI string `key` in `lang` ('en' or 'fr'), formatted with `fmt`."""
    en, fr = STRINGS[key]
    text = fr if lang == "fr" else en
    return text.format(**fmt) if fmt else text
