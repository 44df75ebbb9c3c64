"""Demo clients, catalog, materials and quotes: the orders a production school really gets."""
import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select
from stdnum import luhn

from erp.catalog.models import Material, Nature, Unit
from erp.catalog.services import save_item, save_material
from erp.clients.models import Client, ClientKind
from erp.clients.services import save_client
from erp.jobs.models import Section
from erp.quotes import services as quotes
from erp.quotes.models import AcceptanceChannel

D = Decimal
G, S = Nature.GOODS, Nature.SERVICES
CATALOG = {
    "MET": [
        ("MET-ESC-QT", "Escalier métallique quart tournant, limon acier, marches tôle larmée — fourni posé",
         Unit.FLAT_RATE, "4200", "20", S),
        ("MET-GC-ML", "Garde-corps acier à barreaudage vertical, finition antirouille", Unit.METRE, "185", "20", S),
        ("MET-PASS-ML", "Passerelle métallique caillebotis, structure IPN", Unit.METRE, "420", "20", S),
        ("MET-RAY-PNEU", "Rayonnage de stockage pneus, 4 niveaux, module de 2 m", Unit.PIECE, "360", "20", G),
        ("MET-MO", "Main-d’œuvre atelier métallerie", Unit.HOUR, "45", "20", S),
        ("MET-POSE", "Pose sur site (équipe et maître professionnel)", Unit.HOUR, "52", "20", S),
        ("MET-DEPL", "Déplacement sur chantier", Unit.FLAT_RATE, "60", "20", S),
    ],
    "PNE": [
        ("PNE-MONT", "Montage pneu tourisme (démontage, montage, valve)", Unit.PIECE, "12", "20", S),
        ("PNE-MONT-UT", "Montage pneu utilitaire", Unit.PIECE, "18", "20", S),
        ("PNE-EQU", "Équilibrage de roue", Unit.PIECE, "10", "20", S),
        ("PNE-REP", "Réparation de crevaison (mèche ou champignon)", Unit.PIECE, "18", "20", S),
        ("PNE-GARD", "Gardiennage de pneus, une saison", Unit.FLAT_RATE, "40", "20", S),
        ("PNE-205-55R16", "Pneu 205/55 R16 91V été", Unit.PIECE, "78", "20", G),
        ("PNE-215-65R16C", "Pneu utilitaire 215/65 R16C hiver", Unit.PIECE, "112", "20", G),
    ],
    "MEC": [
        ("MEC-VIDANGE", "Vidange moteur et remplacement du filtre à huile", Unit.FLAT_RATE, "65", "20", S),
        ("MEC-FREINS", "Remplacement des plaquettes de frein (essieu)", Unit.FLAT_RATE, "85", "20", S),
        ("MEC-MO", "Main-d’œuvre mécanique", Unit.HOUR, "42", "20", S),
        ("MEC-DIAG", "Diagnostic électronique", Unit.FLAT_RATE, "45", "20", S),
    ],
}
MATERIALS = [
    ("TUBE-40X40", "Tube acier carré 40×40×2", Unit.METRE, "6.80", "Comptoir Jurassien des Métaux"),
    ("TOLE-LARMEE-3", "Tôle larmée acier 3 mm", Unit.SQUARE_METRE, "38.50", "Comptoir Jurassien des Métaux"),
    ("FER-PLAT-40X8", "Fer plat 40×8", Unit.METRE, "4.20", "Comptoir Jurassien des Métaux"),
    ("CORNIERE-50", "Cornière acier 50×50×5", Unit.METRE, "5.90", "Comptoir Jurassien des Métaux"),
    ("IPN-120", "Poutrelle IPN 120", Unit.METRE, "16.40", "Comptoir Jurassien des Métaux"),
    ("CAILLEBOTIS", "Caillebotis galvanisé 30×30", Unit.SQUARE_METRE, "62.00", "Métaux Services Dijon"),
    ("PEINT-ANTIR", "Peinture antirouille", Unit.KILOGRAM, "14.00", "Peintures de Franche-Comté"),
    ("FIL-SOUDURE", "Fil de soudure MIG 1 mm", Unit.KILOGRAM, "9.50", "Métaux Services Dijon"),
    ("PNEU-205-55R16", "Pneu 205/55 R16 91V été", Unit.PIECE, "52.00", "Pneus Distribution Est"),
    ("PNEU-215-65R16C", "Pneu 215/65 R16C hiver", Unit.PIECE, "74.00", "Pneus Distribution Est"),
    ("VALVE-TR414", "Valve caoutchouc TR414", Unit.PIECE, "0.90", "Pneus Distribution Est"),
    ("MASSES-EQU", "Masses d’équilibrage adhésives", Unit.KILOGRAM, "12.00", "Pneus Distribution Est"),
    ("HUILE-5W30", "Huile moteur 5W30", Unit.KILOGRAM, "7.80", "Auto Pièces Dolois"),
    ("PLAQUETTES", "Jeu de plaquettes de frein", Unit.PIECE, "28.00", "Auto Pièces Dolois"),
]
C = ClientKind
CLIENTS = [
    (C.COMPANY, "SCI Les Tilleuls", "4 rue des Tilleuls", "39100", "Dole", "gestion@sci-les-tilleuls.fr"),
    (C.COMPANY, "Menuiserie Vuillet SARL", "ZA des Paters", "39100", "Dole", "contact@menuiserie-vuillet.fr"),
    (C.COMPANY, "Fromagerie des Monts SAS", "Route de Poligny", "39380", "Mont-sous-Vaudrey", "achats@fromagerie-monts.fr"),
    (C.COMPANY, "Atelier Bois & Fer SARL", "17 rue Pasteur", "39500", "Tavaux", "atelier@boisetfer.fr"),
    (C.COMPANY, "Garage du Doubs SARL", "8 avenue de Lahr", "39100", "Dole", "garage.doubs@orange.fr"),
    (C.COMPANY, "Logistique Jura Express SAS", "Parc d’activités Innovia", "39500", "Damparis", "flotte@jura-express.fr"),
    (C.COMPANY, "Ambulances Doloises SARL", "22 rue de Besançon", "39100", "Dole", "direction@ambulances-doloises.fr"),
    (C.COMPANY, "Cave coopérative de Chamblay", "Grande Rue", "39380", "Chamblay", "cave@chamblay-vins.fr"),
    (C.COMPANY, "Boulangerie Marchal", "3 place Nationale", "39100", "Dole", "boulangerie.marchal@gmail.com"),
    (C.COMPANY, "Taxis du Val d’Amour", "12 rue de la Gare", "39380", "Chissey-sur-Loue", "taxis.valdamour@free.fr"),
    (C.COMPANY, "Transports Comtois SARL", "Zone industrielle", "39290", "Moissey", "exploitation@transports-comtois.fr"),
    (C.COMPANY, "Espaces Verts Bourgeois", "5 chemin des Prés", "39100", "Foucherans", "contact@ev-bourgeois.fr"),
    (C.PUBLIC_BODY, "Mairie de Dole", "Place de l’Europe", "39100", "Dole", "services.techniques@dole.fr"),
    (C.PUBLIC_BODY, "Conseil départemental du Jura", "17 rue Rouget de Lisle", "39000", "Lons-le-Saunier",
     "routes@jura.fr"),
    (C.PUBLIC_BODY, "Communauté d’agglomération du Grand Dole", "Place de l’Europe", "39100", "Dole",
     "patrimoine@grand-dole.fr"),
    (C.PUBLIC_BODY, "Lycée Charles Nodier", "6 Grande Rue", "39100", "Dole", "intendance@lycee-nodier.fr"),
    (C.ASSOCIATION, "EHPAD Les Charmilles", "30 rue du Mont Roland", "39100", "Dole", "direction@charmilles-dole.fr"),
    (C.ASSOCIATION, "Club nautique de Dole", "Port de plaisance", "39100", "Dole", "cnd.dole@gmail.com"),
    (C.ASSOCIATION, "Épicerie solidaire doloise", "9 rue des Arènes", "39100", "Dole", "epicerie.solidaire@laposte.net"),
    (C.ASSOCIATION, "Comité des fêtes de Sampans", "Mairie", "39100", "Sampans", "fetes.sampans@orange.fr"),
    (C.INDIVIDUAL, "M. et Mme Girardot", "14 chemin des Vignes", "39100", "Brevans", "famille.girardot@orange.fr"),
    (C.INDIVIDUAL, "Mme Claire Bouvier", "2 impasse des Lilas", "39100", "Dole", "claire.bouvier@gmail.com"),
    (C.INDIVIDUAL, "M. Julien Faivre", "41 rue de Chalon", "39100", "Dole", "j.faivre39@gmail.com"),
    (C.INDIVIDUAL, "M. Karim Haddad", "7 rue Jules Grévy", "39100", "Dole", "k.haddad@outlook.fr"),
    (C.INDIVIDUAL, "Mme Sophie Lambert", "3 rue du Moulin", "39700", "Rochefort-sur-Nenon", "sophie.lambert@free.fr"),
    (C.INDIVIDUAL, "M. Pierre Cuynet", "18 Grande Rue", "39100", "Authume", "p.cuynet@wanadoo.fr"),
    (C.INDIVIDUAL, "Mme Lucie Mercier", "25 avenue Aristide Briand", "39100", "Dole", "lucie.mercier@gmail.com"),
    (C.INDIVIDUAL, "M. Thomas Roussel", "11 rue des Écoles", "39500", "Tavaux", "thomas.roussel@sfr.fr"),
    (C.INDIVIDUAL, "M. André Jeunet", "2 place de l’Église", "39100", "Baverans", "andre.jeunet@orange.fr"),
    (C.INDIVIDUAL, "Mme Nathalie Prost", "6 allée des Cerisiers", "39100", "Choisey", "nathalie.prost@gmail.com"),
]


def _siret(rng: random.Random) -> str:
    siren = "".join(rng.choice("0123456789") for _ in range(8))
    siren += luhn.calc_check_digit(siren)
    nic = "0001" if rng.random() < .5 else "0002"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def load_catalog() -> None:
    """Every section's catalog and the workshop's materials."""
    sections = {s.code: s.id for s in db_sections()}
    for code, items in CATALOG.items():
        for item_code, label, unit, price, vat, nature in items:
            save_item(None, None, code=item_code, label=label, description="", unit=unit, unit_price=D(price),
                      vat_rate=D(vat).quantize(D("0.01")), nature=nature, section_id=sections[code],
                      revenue_account="", active=True)
    for code, label, unit, cost, supplier in MATERIALS:
        save_material(None, None, code=code, label=label, unit=unit, unit_cost=D(cost), supplier=supplier,
                      active=True)


def db_sections() -> list[Section]:
    from erp.extensions import db

    return list(db.session.scalars(select(Section)))


def load_clients(rng: random.Random) -> dict[str, Client]:
    """About thirty clients of the Dole area."""
    clients = {}
    for kind, name, street, postcode, city, email in CLIENTS:
        siret = _siret(rng) if kind.requires_siren or (kind is C.ASSOCIATION and rng.random() < .7) else ""
        clients[name] = save_client(
            None, None, kind=kind, name=name, siren="", siret=siret, vat_number="", email=email,
            phone=f"03 84 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            address_line1=street, address_line2="", postcode=postcode, city=city, site_line1="", site_line2="",
            site_postcode="", site_city="", payment_terms_days=45 if kind is C.PUBLIC_BODY else None, notes="")
    return clients


# client, section, title, days ago, outcome, lines (catalog code or free label, qty, price if free),
# estimate (student h, craftsman h, other costs), materials, deposit %, site address
QUOTES = [
    ("SCI Les Tilleuls", "MET", "Escalier métallique quart tournant — hall d’immeuble", 70, "accepted_online",
     [("MET-ESC-QT", "1"), ("MET-GC-ML", "4.5"), ("MET-DEPL", "2")], ("62", "14", "180"),
     [("TUBE-40X40", "38"), ("TOLE-LARMEE-3", "4.2"), ("PEINT-ANTIR", "6"), ("FIL-SOUDURE", "3")], "30",
     "4 rue des Tilleuls\nEntrée B\n39100 Dole"),
    ("M. et Mme Girardot", "MET", "Escalier extérieur droit avec garde-corps — maison", 12, "sent_home_rate",
     [("MET-ESC-QT", "1"), ("MET-GC-ML", "3")], ("48", "10", "60"),
     [("TUBE-40X40", "24"), ("TOLE-LARMEE-3", "3"), ("PEINT-ANTIR", "4")], "30", ""),
    ("Menuiserie Vuillet SARL", "MET", "Escalier droit d’accès à la mezzanine de l’atelier", 3, "draft",
     [("MET-ESC-QT", "1"), ("MET-POSE", "8")], ("40", "8", "0"), [("TUBE-40X40", "20"), ("TOLE-LARMEE-3", "2.5")],
     "0", ""),
    ("Fromagerie des Monts SAS", "MET", "Passerelle technique au-dessus des cuves", 55, "accepted_paper",
     [("MET-PASS-ML", "8"), ("MET-GC-ML", "16"), ("MET-POSE", "12")], ("90", "20", "350"),
     [("IPN-120", "18"), ("CAILLEBOTIS", "8"), ("CORNIERE-50", "30"), ("PEINT-ANTIR", "10")], "30", ""),
    ("Communauté d’agglomération du Grand Dole", "MET", "Passerelle piétonne du parc — ouvrage de 12 m", 20, "sent",
     [("MET-PASS-ML", "12"), ("MET-GC-ML", "24"), ("MET-POSE", "24"), ("MET-DEPL", "4")], ("160", "32", "900"),
     [("IPN-120", "26"), ("CAILLEBOTIS", "14"), ("FER-PLAT-40X8", "60"), ("PEINT-ANTIR", "16")], "0",
     "Parc des Prés-Pasteur\nRue du Général Leclerc\n39100 Dole"),
    ("Atelier Bois & Fer SARL", "MET", "Garde-corps de la mezzanine de l’atelier", 40, "declined",
     [("MET-GC-ML", "14"), ("MET-POSE", "6")], ("30", "6", "0"), [("TUBE-40X40", "30"), ("FER-PLAT-40X8", "28")],
     "0", ""),
    ("Garage du Doubs SARL", "MET", "Rayonnages de stockage pneus — 6 modules", 48, "accepted_online",
     [("MET-RAY-PNEU", "6"), ("MET-POSE", "4")], ("36", "6", "0"),
     [("CORNIERE-50", "48"), ("TUBE-40X40", "36"), ("PEINT-ANTIR", "5")], "0", ""),
    ("Logistique Jura Express SAS", "PNE", "Pneus hiver pour la flotte — 12 utilitaires", 9, "sent",
     [("PNE-215-65R16C", "48"), ("PNE-MONT-UT", "48"), ("PNE-EQU", "48")], ("40", "8", "0"),
     [("PNEU-215-65R16C", "48"), ("VALVE-TR414", "48"), ("MASSES-EQU", "2")], "0", ""),
    ("Mairie de Dole", "PNE", "Montage des pneus hiver des véhicules municipaux", 75, "expired",
     [("PNE-MONT", "40"), ("PNE-EQU", "40"), ("PNE-GARD", "10")], ("24", "5", "0"), [("MASSES-EQU", "1.5")], "0",
     ""),
    ("Mme Claire Bouvier", "MET", "Garde-corps de terrasse", 30, "cancelled", [("MET-GC-ML", "6")], ("12", "3", "0"),
     [("TUBE-40X40", "14")], "0", ""),
    ("Ambulances Doloises SARL", "MEC", "Entretien annuel de trois véhicules", 35, "accepted_online",
     [("MEC-VIDANGE", "3"), ("MEC-FREINS", "2"), ("MEC-DIAG", "3")], ("14", "4", "0"),
     [("HUILE-5W30", "15"), ("PLAQUETTES", "2")], "0", ""),
    ("Cave coopérative de Chamblay", "MET", "Portail coulissant pour la cour", 1, "draft",
     [("Portail coulissant acier 4 m, motorisation non comprise", "1", "2850"), ("MET-POSE", "6")],
     ("44", "8", "120"), [("TUBE-40X40", "40"), ("FER-PLAT-40X8", "30")], "30", ""),
    ("EHPAD Les Charmilles", "MET", "Rampe d’accès et main courante", 26, "sent",
     [("MET-GC-ML", "9"), ("Rampe d’accès tôle larmée, 1,20 m × 5 m", "1", "1650"), ("MET-POSE", "8")],
     ("38", "9", "0"), [("TOLE-LARMEE-3", "6"), ("CORNIERE-50", "20"), ("TUBE-40X40", "22")], "0", ""),
]


def _craftsmen_by_section():
    from erp.auth.models import Role, User
    from erp.extensions import db

    result = {}
    for user in db.session.scalars(select(User).where(User.role == Role.CRAFTSMAN).order_by(User.id)):
        result.setdefault(user.section_id, user)
    return result


def load_quotes(today: date, clients: dict[str, Client]) -> None:
    """A dozen quotes in every status, the school's own kind of orders."""
    from erp.catalog.models import CatalogItem
    from erp.extensions import db

    sections = {s.code: s for s in db_sections()}
    items = {i.code: i for i in db.session.scalars(select(CatalogItem))}
    materials = {m.code: m for m in db.session.scalars(select(Material))}
    craftsmen = _craftsmen_by_section()
    for client_name, code, title, days_ago, outcome, lines, estimate, used, deposit, site in QUOTES:
        section, made_on = sections[code], today - timedelta(days=days_ago)
        author = craftsmen[section.id]
        quote = quotes.create_quote(author, client=clients[client_name], section=section, title=title,
                                    today=made_on, site_address=site, deposit_percent=D(deposit))
        for line in lines:
            if line[0] in items:
                quotes.add_line(author, quote, version=quote.version, item=items[line[0]], quantity=D(line[1]))
            else:
                quotes.add_line(author, quote, version=quote.version, label=line[0], quantity=D(line[1]),
                                unit=Unit.FLAT_RATE, unit_price=D(line[2]), vat_rate=D("20.00"), nature=S)
        if outcome == "sent_home_rate":  # works in a home over two years old: 10 % (VAT-04)
            for line in quote.lines:
                quotes.update_line(author, quote, line, version=quote.version, label=line.label,
                                   quantity=line.quantity, unit=line.unit, unit_price=line.unit_price,
                                   discount_percent=line.discount_percent, vat_rate=D("10.00"), nature=line.nature)
        for material_code, quantity in used:
            quotes.add_material(author, quote, version=quote.version, material=materials[material_code],
                                quantity=D(quantity))
        student_hours, craftsman_hours, other = estimate
        quotes.set_estimate(author, quote, version=quote.version, student_hours=D(student_hours),
                            craftsman_hours=D(craftsman_hours), labour_rate=section.hourly_rate,
                            other_costs=D(other), other_costs_note="Sous-traitance galvanisation" if D(other) else "")
        _play_outcome(author, quote, outcome, made_on)
        db.session.flush()


def _play_outcome(author, quote, outcome: str, made_on: date) -> None:
    if outcome == "draft":
        return
    quotes.send_quote(author, quote, today=made_on)
    decided = made_on + timedelta(days=4)
    if outcome == "accepted_online":
        quotes.accept_quote(None, quote, today=decided, name=f"Pour {quote.client.name}",
                            channel=AcceptanceChannel.ONLINE, ip="192.0.2.10", user_agent="Mozilla/5.0 (démo)")
    elif outcome == "accepted_paper":
        quotes.accept_quote(author, quote, today=decided, name="M. Henri Grosjean, directeur",
                            channel=AcceptanceChannel.PAPER)
    elif outcome == "declined":
        quotes.decline_quote(None, quote, reason="Budget reporté à l’an prochain.")
    if quote.decided_at is not None:  # the demo replays the past: the answer came on that day
        quote.decided_at = datetime.combine(decided, time(10, 30), timezone.utc)
    if outcome == "cancelled":
        quotes.cancel_quote(author, quote)
    elif outcome == "expired":
        quote.valid_until = made_on + timedelta(days=30)
        quotes.expire_quote(quote)
