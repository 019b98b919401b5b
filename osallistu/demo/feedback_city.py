"""The city of the demo feedback: fourteen service categories of Helsinki's divisions
with the feedback residents typically write in them and how long each typically takes
to handle, streets of each district, the staff who handle feedback and the answers
they give."""

from osallistu.feedback.models import Status

STREETS = ("Kadut ja liikenne", "Gator och trafik", "Streets and traffic")
GREEN = ("Puistot ja viheralueet", "Parker och grönområden", "Parks and green areas")
CLEAN = ("Siisteys", "Renhållning", "Cleanliness")
SERVICES = ("Palvelut", "Tjänster", "Services")

# code, division, names (fi, sv, en), group, weight, median handling days, winter only,
# titles and texts (fi) a resident might write.
CATEGORIES = [
    (
        "171",
        "urban-environment",
        ("Katuvauriot ja kuopat", "Gatuskador och gropar", "Street damage and potholes"),
        STREETS,
        20,
        4,
        False,
        [
            ("Kuoppa ajoradalla", "Ajoradalla on syvä kuoppa, johon pyöräilijä voi kaatua."),
            ("Rikkinäinen reunakivi", "Reunakivi on irronnut ja ajautunut jalkakäytävälle."),
            ("Painuma pyörätiellä", "Pyörätien asfaltti on painunut ja keräää vettä."),
        ],
    ),
    (
        "172",
        "urban-environment",
        ("Katuvalaistus", "Gatubelysning", "Street lighting"),
        STREETS,
        12,
        6,
        False,
        [
            (
                "Katuvalo pimeänä",
                "Katuvalo on ollut pimeänä viikon, ja tie on illalla pilkkopimeä.",
            ),
            ("Vilkkuva valo", "Valaisin vilkkuu koko yön ja häiritsee asukkaita."),
        ],
    ),
    (
        "174",
        "urban-environment",
        ("Lumi ja liukkaus", "Snö och halka", "Snow and slippery streets"),
        STREETS,
        18,
        1.5,
        True,
        [
            ("Liukas jalkakäytävä", "Jalkakäytävä on peilijäässä eikä sitä ole hiekoitettu."),
            (
                "Aurausvalli pysäkillä",
                "Aurausvalli tukkii bussipysäkin, eikä rattaiden kanssa pääse.",
            ),
        ],
    ),
    (
        "176",
        "urban-environment",
        ("Roskat ja siisteys", "Skräp och städning", "Litter and cleaning"),
        CLEAN,
        14,
        2,
        False,
        [
            ("Täysi roskakori", "Puiston roskakori on täynnä, ja roskat leviävät ympäriinsä."),
            ("Lasinsiruja", "Leikkipaikan vieressä on paljon rikottua lasia."),
        ],
    ),
    (
        "180",
        "urban-environment",
        ("Puistot ja viheralueet", "Parker och grönområden", "Parks and green areas"),
        GREEN,
        10,
        7,
        False,
        [
            ("Kaatunut puu", "Myrsky kaatoi puun ulkoilureitin poikki."),
            ("Rikkinäinen penkki", "Puiston penkistä puuttuu lautoja."),
        ],
    ),
    (
        "211",
        "urban-environment",
        ("Leikkipuistot", "Lekparker", "Playgrounds"),
        GREEN,
        6,
        5,
        False,
        [
            ("Rikkinäinen keinu", "Keinun ketju on katkennut, ja keinu roikkuu vinossa."),
            ("Liukumäen reuna irti", "Liukumäen reunalevy on irti, ja siinä on terävä kulma."),
        ],
    ),
    (
        "198",
        "urban-environment",
        ("Liikennemerkit ja -valot", "Trafikmärken och trafikljus", "Traffic signs and lights"),
        STREETS,
        6,
        5,
        False,
        [
            ("Kaatunut liikennemerkki", "Stop-merkki on kaatunut risteyksessä."),
            ("Liikennevalo rikki", "Jalankulkijan valo ei vaihdu vihreäksi."),
        ],
    ),
    (
        "199",
        "urban-environment",
        ("Töhryt ja ilkivalta", "Klotter och skadegörelse", "Graffiti and vandalism"),
        CLEAN,
        6,
        3,
        False,
        [
            ("Töhryjä seinässä", "Alikulun seinät on töhritty."),
            ("Rikottu roska-astia", "Joku on potkinut roska-astian irti pylväästä."),
        ],
    ),
    (
        "310",
        "education",
        ("Koulut ja päiväkodit", "Skolor och daghem", "Schools and day care"),
        SERVICES,
        3,
        8,
        False,
        [("Koulun piha", "Koulun pihan aita on rikki ja lapset pääsevät kadulle.")],
    ),
    (
        "320",
        "culture-and-leisure",
        ("Kirjastot", "Bibliotek", "Libraries"),
        SERVICES,
        2,
        3,
        False,
        [("Kirjaston aukioloajat", "Kirjasto voisi olla auki myös sunnuntaisin.")],
    ),
    (
        "330",
        "culture-and-leisure",
        ("Liikuntapaikat", "Idrottsplatser", "Sports facilities"),
        SERVICES,
        2,
        6,
        False,
        [("Kuntosalin laite rikki", "Ulkokuntosalin leuanvetotanko on irti.")],
    ),
    (
        "340",
        "culture-and-leisure",
        ("Nuoriso- ja kulttuuritalot", "Ungdoms- och kulturhus", "Youth and cultural centres"),
        SERVICES,
        1,
        5,
        False,
        [("Nuorisotalon ilta", "Nuorisotalolla voisi olla enemmän iltatoimintaa viikonloppuisin.")],
    ),
    (
        "350",
        "social-and-health",
        ("Terveysasemat", "Hälsostationer", "Health stations"),
        SERVICES,
        2,
        9,
        False,
        [("Ajanvaraus", "Terveysaseman ajanvarauksen puhelinjonot ovat todella pitkät.")],
    ),
    (
        "360",
        "social-and-health",
        ("Ikääntyneiden palvelut", "Tjänster för äldre", "Services for older people"),
        SERVICES,
        1,
        10,
        False,
        [("Palvelutalon piha", "Palvelutalon pihan kulkuväylä on liian kapea rollaattorille.")],
    ),
]

# Districts of Helsinki with a few streets of each, for addresses.
STREETS_BY_DISTRICT = {
    "southern": ["Bulevardi", "Fredrikinkatu", "Tehtaankatu", "Merikatu", "Lapinlahdenkatu"],
    "western": ["Mannerheimintie", "Huopalahdentie", "Vihdintie", "Pitäjänmäentie"],
    "central": ["Hämeentie", "Helsinginkatu", "Sturenkatu", "Mäkelänkatu", "Kaarlenkatu"],
    "northern": ["Kuusikkotie", "Paloheinäntie", "Pakilantie", "Tuusulanväylä"],
    "north-eastern": ["Malminkaari", "Kirkonkyläntie", "Jakomäentie", "Pukinmäenkaari"],
    "south-eastern": ["Hiihtäjäntie", "Itäväylä", "Laajasalontie", "Kulosaaren puistotie"],
    "eastern": ["Kontulantie", "Meri-Rastilan tie", "Vuotie", "Itäkatu", "Mellunmäentie"],
}
DISTRICT_WEIGHTS = {
    "southern": 19,
    "western": 17,
    "central": 16,
    "northern": 7,
    "north-eastern": 15,
    "south-eastern": 9,
    "eastern": 17,
}

# The feedback handlers of the demo (``people.STAFF``) and their divisions.
DIVISION_OF_STAFF = [
    ("palaute.kymp@osallistu.example", "urban-environment"),
    ("palaute.itainen@osallistu.example", "urban-environment"),
    ("palaute.kasko@osallistu.example", "education"),
    ("palaute.kuva@osallistu.example", "culture-and-leisure"),
    ("palaute.sote@osallistu.example", "social-and-health"),
]

ANSWERS = {
    Status.DONE: [
        "Kiitos palautteesta. Asia on korjattu.",
        "Kiitos ilmoituksesta. Urakoitsija on käynyt paikalla ja korjannut vian.",
        "Kiitos palautteestanne. Olemme hoitaneet asian kuntoon.",
    ],
    Status.NOT_CITY: [
        "Kiitos palautteesta. Alue on yksityistä maata; ilmoitimme asiasta omistajalle."
    ],
    Status.CANNOT_FIX: ["Kiitos palautteesta. Asiaa ei valitettavasti voida korjata tänä vuonna."],
}
HIDE_REASONS = ["Asiaton kielenkäyttö.", "Sisältää toisen henkilön tietoja.", "Roskapostia."]
