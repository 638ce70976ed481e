"""Text pools for the demo generator: outbound pitches and lead replies, in English and French.

Placeholders: {first} lead first name, {company}, {me} the SDR's first name, {colleague},
{colleague_email}, {back} a return-date phrase, {when} a timing phrase, {vendor}.
"""

from __future__ import annotations

PRODUCT = "Relay"

OUTBOUND = {
    "en": [
        ("Quick question about {company}'s outbound",
         "Hi {first},\n\nI noticed {company} is hiring SDRs. Teams like yours use Relay to see\n"
         "why leads say no, reason by reason, and fix the top one each week.\n\n"
         "Worth 15 minutes next week?\n\nBest,\n{me}"),
        ("{company} + Relay",
         "Hello {first},\n\nMost sales teams log 'not interested' and stop there. Relay turns\n"
         "every reply into a status and a reason code in two keystrokes, so your weekly review\n"
         "ends with a decision.\n\nOpen to a short demo?\n\n{me}"),
        ("Lost-reason data at {company}",
         "Hi {first},\n\nDo you know the top three reasons your prospects decline this quarter?\n"
         "We help SDR teams answer that in minutes, not spreadsheets.\n\n"
         "Could we find 20 minutes?\n\nCheers,\n{me}"),
    ],
    "fr": [
        ("Question rapide sur la prospection chez {company}",
         "Bonjour {first},\n\nJ'ai vu que {company} recrute des SDR. Des équipes comme la vôtre\n"
         "utilisent Relay pour savoir pourquoi les leads disent non, raison par raison, et\n"
         "corriger la première chaque semaine.\n\nAuriez-vous 15 minutes la semaine prochaine ?\n\n"
         "Bien à vous,\n{me}"),
        ("{company} et Relay",
         "Bonjour {first},\n\nLa plupart des équipes notent « pas intéressé » et s'arrêtent là.\n"
         "Relay transforme chaque réponse en statut et en motif en deux touches : votre revue\n"
         "hebdomadaire se termine par une décision.\n\nPartant pour une courte démo ?\n\n{me}"),
        ("Motifs de perte chez {company}",
         "Bonjour {first},\n\nConnaissez-vous les trois premiers motifs de refus de vos prospects\n"
         "ce trimestre ? Nous aidons les équipes SDR à y répondre en quelques minutes.\n\n"
         "Pourrions-nous échanger 20 minutes ?\n\nCordialement,\n{me}"),
    ],
}

FOLLOW_UP = {
    "en": ("Re: {subject}",
           "Hi {first},\n\nFloating this back to the top of your inbox. Is improving reply\n"
           "handling a priority for {company} this quarter?\n\n{me}"),
    "fr": ("Re: {subject}",
           "Bonjour {first},\n\nJe me permets de relancer. Le traitement des réponses de\n"
           "prospection est-il un sujet pour {company} ce trimestre ?\n\n{me}"),
}

REPLIES: dict[str, dict[str, list[str]]] = {
    "interested": {
        "en": [
            "Hi {me},\n\nTimely, we were just discussing this. Can you do Tuesday or Wednesday\n"
            "afternoon next week? Happy to bring our sales ops lead.\n\n{first}",
            "Sounds interesting. Send me a couple of slots for a demo.\n\n{first}",
            "Yes, let's talk. Book something with my assistant, or pick a time here.\n\nThanks,\n{first}",
            "Hey {me} - we have exactly this problem. 30 minutes Thursday?\n\n{first}",
        ],
        "fr": [
            "Bonjour {me},\n\nÇa tombe bien, on en parlait justement en comité. Êtes-vous\n"
            "disponible mardi ou mercredi après-midi ?\n\n{first}",
            "Bonjour,\n\nOui, je veux bien une démo. Envoyez-moi quelques créneaux.\n\nCordialement,\n{first}",
            "Intéressant. On peut s'appeler jeudi à 11h ?\n\n{first}",
            "Bonjour {me}, c'est exactement notre problème en ce moment. Calons 30 minutes.\n\n{first}",
        ],
    },
    "info_request": {
        "en": [
            "Hi {me},\n\nBefore we go further: do you have a SOC 2 report, and where is the data\n"
            "hosted?\n\n{first}",
            "What does pricing look like for a team of 8 SDRs? And is there an API?\n\n{first}",
            "Does it integrate with HubSpot, or is it CSV only?\n\nThanks,\n{first}",
        ],
        "fr": [
            "Bonjour,\n\nAvant d'aller plus loin : vos données sont-elles hébergées en France ou\n"
            "en Europe ? Avez-vous un DPA type ?\n\n{first}",
            "Quel est le tarif pour une équipe de 5 commerciaux ? Y a-t-il un engagement ?\n\n{first}",
            "Bonjour {me}, ça marche avec Salesforce ou seulement par import CSV ?\n\nMerci,\n{first}",
        ],
    },
    "timing": {
        "en": [
            "Hi {me},\n\nLooks good, but we are locked into our current contract until March.\n"
            "Reach out {when}.\n\n{first}",
            "Not now - we're in the middle of our busiest season. Try me {when}.\n\n{first}",
            "There's a hiring freeze until the reorg is done. Maybe {when}.\n\n{first}",
        ],
        "fr": [
            "Bonjour {me},\n\nL'idée est bonne mais nous sommes engagés avec notre prestataire\n"
            "actuel. Recontactez-moi {when}.\n\n{first}",
            "Pas le bon moment, c'est la clôture annuelle. Revenez vers moi {when}.\n\n{first}",
            "Le projet a été repoussé par la direction. On en reparle {when} ?\n\n{first}",
        ],
    },
    "fit": {
        "en": [
            "We're a team of three, this is built for much bigger sales orgs. Thanks though.\n\n{first}",
            "We only sell through partners, we don't do outbound at all. Not a fit.\n\n{first}",
            "Without an on-premise option our security team will not approve it.\n\n{first}",
        ],
        "fr": [
            "Bonjour,\n\nNous sommes trois, votre outil est pensé pour des équipes bien plus grandes.\n\n{first}",
            "Nous ne faisons pas de prospection sortante, tout passe par nos distributeurs.\n\n{first}",
            "Sans hébergement certifié HDS, ce n'est pas possible chez nous.\n\n{first}",
        ],
    },
    "budget": {
        "en": [
            "Nothing was budgeted for this in 2026, and I can't see that changing.\n\n{first}",
            "Honestly at that price point it's not happening for a team our size.\n\n{first}",
            "All tooling spend is frozen until further notice. Sorry.\n\n{first}",
        ],
        "fr": [
            "Rien n'est prévu au budget cette année, désolé.\n\n{first}",
            "C'est trop cher pour une structure comme la nôtre.\n\nCordialement,\n{first}",
            "Les budgets outils sont gelés jusqu'à nouvel ordre.\n\n{first}",
        ],
    },
    "competition": {
        "en": [
            "Sounds great, but we just renewed with {vendor} for another year.\n\n{first}",
            "We signed with {vendor} last month, so we're covered.\n\n{first}",
            "We already use {vendor} and the team is happy with it.\n\n{first}",
        ],
        "fr": [
            "Merci, mais nous venons de signer avec {vendor}.\n\n{first}",
            "Nous utilisons déjà {vendor} et l'équipe en est satisfaite.\n\n{first}",
            "On a renouvelé {vendor} pour deux ans le mois dernier.\n\n{first}",
        ],
    },
    "decision_maker": {
        "en": [
            "I'm not the one who decides on tooling, purchasing is handled by head office.\n\n{first}",
            "I can't approve anything like this, our VP makes those calls.\n\n{first}",
        ],
        "fr": [
            "Ce n'est pas moi qui décide, c'est le siège qui gère les achats.\n\n{first}",
            "Je n'ai pas la main sur ce type d'achat, voyez avec la direction.\n\n{first}",
        ],
    },
    "not_interested": {
        "en": ["No thanks.", "Not interested, please don't follow up.\n\n{first}",
               "We'll pass. Good luck.\n\n{first}"],
        "fr": ["Non merci.", "Pas intéressé, merci.\n\n{first}",
               "Ce ne sera pas pour nous. Bonne continuation.\n\n{first}"],
    },
    "out_of_office": {
        "en": [
            "Thank you for your email. I am out of the office until {back} with limited access\n"
            "to email. For urgent matters please contact {colleague} ({colleague_email}).",
            "I'm on parental leave and will be back on {back}. I will reply when I return.",
            "Automatic reply: I am travelling and will be back {back}.",
        ],
        "fr": [
            "Bonjour,\n\nJe suis absent(e) jusqu'au {back} inclus. En cas d'urgence, vous pouvez\n"
            "joindre {colleague} ({colleague_email}).\n\nCordialement",
            "Réponse automatique : je suis en congés, de retour le {back}.",
            "Je suis en déplacement et je reviendrai le {back}. Je vous répondrai à mon retour.",
        ],
    },
    "unsubscribe": {
        "en": ["Please remove me from your mailing list.", "STOP",
               "Unsubscribe me and delete my data under GDPR, thank you.\n\n{first}"],
        "fr": ["Merci de me désinscrire de vos envois.", "Stop.",
               "Conformément au RGPD, merci de supprimer mes données et de ne plus me contacter."],
    },
    "wrong_person": {
        "en": [
            "I'm not the right person for this - talk to my colleague {colleague}\n"
            "({colleague_email}), she runs sales ops.\n\n{first}",
            "I've left {company}. Please contact {colleague} at {colleague_email} instead.",
        ],
        "fr": [
            "Bonjour, je ne suis pas la bonne personne. Voyez plutôt avec {colleague}\n"
            "({colleague_email}) qui gère l'équipe commerciale.\n\n{first}",
            "J'ai quitté {company}. Contactez {colleague} : {colleague_email}.",
        ],
    },
    "inbound": {
        "en": ["Hi,\n\nI filled in your contact form yesterday. We have 12 SDRs and would like\n"
               "a demo of Relay next week.\n\n{first}"],
        "fr": ["Bonjour,\n\nJ'ai rempli votre formulaire de contact. Nous avons 6 commerciaux\n"
               "et aimerions une démo de Relay.\n\n{first}"],
    },
    "revived": {
        "en": ["Hi {me}, things moved faster than expected - our contract ends next month.\n"
               "Can we talk this week?\n\n{first}"],
        "fr": ["Bonjour {me}, finalement notre contrat se termine le mois prochain.\n"
               "On peut se parler cette semaine ?\n\n{first}"],
    },
    "confirm": {
        "en": ["Tuesday 2pm works. Sending an invite to the team.\n\n{first}"],
        "fr": ["Mardi 14h me va, je vous envoie l'invitation.\n\n{first}"],
    },
}

OUR_ANSWER = {
    "en": "Great! How about Tuesday 2pm or Wednesday 10am?\n\n{me}",
    "fr": "Parfait ! Mardi 14h ou mercredi 10h ?\n\n{me}",
}

WHEN = {
    "en": ["in three months", "next quarter", "next year", "after the summer", "in Q2"],
    "fr": ["dans trois mois", "au prochain trimestre", "l'année prochaine", "après l'été",
           "en janvier"],
}

VENDORS = ["Outreachly", "Salesloop", "Lemlist", "Pipedream CRM", "Hubbl", "Prospectin"]
