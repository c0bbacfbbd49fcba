"""Demo drug monographs for ``load_demo``.

The content is general information written in our own words for this demo.
It is deliberately conservative: it gives no doses and no percentages, says
"not known" wherever the frequency band of a side effect is uncertain, and
cites public sources (FDA labels on DailyMed, MedlinePlus and NHS pages are
linked, never copied). It is not medical advice and has not been medically
reviewed, which the pages say.

``load()`` is idempotent: a second run creates nothing and saves nothing
(``update_or_create`` would re-save every row and move its "updated" time),
and it removes rows a previous version of this file created for these drugs.
"""

from datetime import UTC, datetime
from urllib.parse import quote_plus

from django.db.models import Q
from django.utils.text import slugify

from drugs.models import (
    Availability,
    Condition,
    Drug,
    DrugClass,
    Frequency,
    Interaction,
    NameKind,
    Seriousness,
    Severity,
    Substance,
    Topic,
)
from publishing.models import Status
from workflow.services import add_months, review_interval_months

PUBLISHED_AT = datetime(2026, 10, 1, tzinfo=UTC)

VC, C, NK = Frequency.VERY_COMMON, Frequency.COMMON, Frequency.NOT_KNOWN
MILD, DOCTOR, URGENT = Seriousness.MILD, Seriousness.SEE_DOCTOR, Seriousness.URGENT
DRUG_SAFETY_COMMUNICATIONS = "https://www.fda.gov/drugs/drug-safety-and-availability/drug-safety-communications"


def dailymed(query: str) -> dict:
    return {
        "title": f"{query.title()}: FDA prescribing information (search of all labels)",
        "publisher": "U.S. National Library of Medicine, DailyMed",
        "url": f"https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query={quote_plus(query.upper())}",
    }


def nhs(page: str, title: str) -> dict:
    return {"title": title, "publisher": "NHS", "url": f"https://www.nhs.uk/medicines/{page}/"}


def label(query: str) -> tuple[str, str]:
    ref = dailymed(query)
    return ref["title"], ref["url"]


CLASSES = [
    {
        "name": "Immunosuppressants (antimetabolites)",
        "slug": "immunosuppressants-antimetabolites",
        "description": "Medicines that damp down the immune system by interfering with how immune cells copy "
        "their DNA and multiply.",
    },
    {
        "name": "NSAIDs",
        "slug": "nsaids",
        "description": "Nonsteroidal anti-inflammatory drugs: they reduce pain, fever and inflammation by "
        "blocking cyclo-oxygenase (COX) enzymes.",
    },
    {
        "name": "Tricyclic antidepressants",
        "slug": "tricyclic-antidepressants",
        "description": "An older group of antidepressants, also used at low doses for some kinds of long-term pain.",
    },
    {
        "name": "Opioids",
        "slug": "opioids",
        "description": "Strong pain relievers that act on opioid receptors in the brain and spinal cord.",
    },
    {
        "name": "Gabapentinoids",
        "slug": "gabapentinoids",
        "description": "Anticonvulsant medicines also used for nerve pain (neuropathic pain).",
    },
    {
        "name": "Anticonvulsants",
        "slug": "anticonvulsants",
        "description": "Medicines used to prevent seizures; several are also used for nerve pain.",
    },
    {
        "name": "Local anaesthetics",
        "slug": "local-anaesthetics",
        "description": "Medicines that numb an area by blocking nerve signals where they are applied.",
    },
    {
        "name": "Muscle relaxants",
        "slug": "muscle-relaxants",
        "description": "Medicines for muscle spasm or stiffness (spasticity). Most act on the brain and spinal cord.",
    },
    {
        "name": "Xanthine oxidase inhibitors",
        "slug": "xanthine-oxidase-inhibitors",
        "description": "Medicines that lower uric acid by blocking the enzyme xanthine oxidase; used for gout.",
    },
    {
        "name": "Anticoagulants",
        "slug": "anticoagulants",
        "description": "Medicines that make the blood take longer to clot, to prevent or treat blood clots.",
    },
    {
        "name": "MAO inhibitors",
        "slug": "mao-inhibitors",
        "description": "Monoamine oxidase inhibitors: an older group of antidepressants with many interactions.",
    },
    {
        "name": "ACE inhibitors",
        "slug": "ace-inhibitors",
        "description": "Angiotensin-converting enzyme inhibitors, used for high blood pressure and heart failure.",
    },
    {
        "name": "Benzodiazepines",
        "slug": "benzodiazepines",
        "description": "Sedative medicines used for anxiety, sleep problems and seizures.",
    },
]

CONDITIONS = [
    (
        "Kidney transplant rejection",
        "kidney-transplant-rejection",
        "The immune system attacking a transplanted kidney.",
    ),
    ("Rheumatoid arthritis", "rheumatoid-arthritis", "A long-term autoimmune disease that inflames the joints."),
    ("Lupus", "lupus", "Systemic lupus erythematosus: an autoimmune disease that can affect many organs."),
    (
        "Crohn's disease",
        "crohns-disease",
        "A long-term inflammatory bowel disease that can affect any part of the gut.",
    ),
    ("Ulcerative colitis", "ulcerative-colitis", "A long-term inflammatory bowel disease of the large bowel."),
    ("Osteoarthritis", "osteoarthritis", "Wear and repair of the joints that causes pain and stiffness."),
    ("Pain", "pain", "Short-term (acute) or long-term (chronic) pain."),
    ("Fever", "fever", "A raised body temperature."),
    ("Period pain", "period-pain", "Painful menstrual cramps (dysmenorrhoea)."),
    ("Gout", "gout", "Painful joint inflammation caused by uric acid crystals."),
    ("Depression", "depression", "A lasting low mood that affects daily life."),
    ("Nerve pain", "nerve-pain", "Pain caused by damaged or irritated nerves (neuropathic pain)."),
    ("Migraine", "migraine", "Recurring headaches, often with sickness and sensitivity to light."),
    ("Postherpetic neuralgia", "postherpetic-neuralgia", "Nerve pain that lasts after shingles has healed."),
    ("Epilepsy", "epilepsy", "A tendency to have seizures."),
    ("Fibromyalgia", "fibromyalgia", "Long-term widespread pain with tiredness and poor sleep."),
    ("Diabetic nerve pain", "diabetic-nerve-pain", "Nerve pain caused by diabetes (diabetic peripheral neuropathy)."),
    ("Muscle spasm", "muscle-spasm", "Sudden painful tightening of muscles, for example after a strain."),
    ("Spasticity", "spasticity", "Stiff, tight muscles caused by conditions such as multiple sclerosis."),
    ("Blood clots", "blood-clots", "Clots in the veins (deep vein thrombosis) or lungs (pulmonary embolism)."),
    ("Atrial fibrillation", "atrial-fibrillation", "An irregular heartbeat that raises the risk of stroke."),
]

DRUGS = [
    {
        "generic_name": "azathioprine",
        "summary": "An immunosuppressant taken by mouth to prevent kidney transplant rejection and to treat "
        "rheumatoid arthritis. It needs regular blood tests.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "1256",
        "atc_code": "L04AX01",
        "names": [("Imuran", NameKind.BRAND), ("Azasan", NameKind.BRAND)],
        "classes": ["immunosuppressants-antimetabolites"],
        "mechanism": "Azathioprine is a prodrug: the body converts it into 6-mercaptopurine, and that into "
        "further active compounds.\n\nThese compounds interfere with how cells make purines, building blocks "
        "of DNA. Cells that multiply quickly depend on them most, so the drug holds back the multiplication of "
        "lymphocytes, the white blood cells that drive transplant rejection and autoimmune inflammation.",
        "absorption": "Well absorbed when taken by mouth.",
        "metabolism": "Converted to 6-mercaptopurine and then broken down in the liver and red blood cells. "
        "Three enzymes matter: thiopurine methyltransferase (TPMT), NUDT15 and xanthine oxidase. People with "
        "inherited low TPMT or NUDT15 activity build up more of the active compounds and are at higher risk of "
        "severe bone marrow suppression, which is why doctors may test for these before treatment.",
        "excretion": "Its breakdown products leave the body in the urine.",
        "boxed_warning": "Malignancy: long-term immunosuppression with azathioprine raises the risk of cancer. "
        "Reported cancers include lymphoma after transplantation and hepatosplenic T-cell lymphoma, a rare and "
        "aggressive lymphoma, notably in people with inflammatory bowel disease. Doctors prescribing it should "
        "be familiar with these risks and with its effects on the blood.",
        "uses": [
            ("kidney-transplant-rejection", True, "To help prevent rejection, alongside other medicines."),
            ("rheumatoid-arthritis", True, "For active disease."),
            ("lupus", False, ""),
            ("crohns-disease", False, "Used to keep the disease in remission."),
            ("ulcerative-colitis", False, "Used to keep the disease in remission."),
        ],
        "side_effects": [
            ("feeling or being sick (nausea and vomiting)", C, MILD, "Taking it with or after food may help."),
            (
                "low white blood cell count (leukopenia) and bone marrow suppression",
                NK,
                URGENT,
                "You will have regular blood counts. Get help at once for fever, sore throat, unusual bruising "
                "or bleeding.",
            ),
            (
                "infections, some serious",
                NK,
                DOCTOR,
                "Tell your doctor about fever, chills or any infection that does not clear up.",
            ),
            (
                "liver problems (hepatotoxicity)",
                NK,
                DOCTOR,
                "Tell your doctor about yellowing skin or eyes, dark urine or pain in the upper belly.",
            ),
            (
                "inflammation of the pancreas (pancreatitis)",
                NK,
                URGENT,
                "Get help for severe pain in the upper belly that may spread to the back.",
            ),
            (
                "allergic reaction (hypersensitivity)",
                NK,
                URGENT,
                "Fever, rash, joint or muscle pain, dizziness or feeling very unwell soon after starting need "
                "medical attention straight away.",
            ),
        ],
        "precautions": [
            (
                Topic.PREGNANCY,
                "It may harm an unborn baby. If you could become pregnant, or are pregnant, talk to your doctor "
                "before and during treatment: do not stop it on your own.",
            ),
            (
                Topic.BREASTFEEDING,
                "Its breakdown products pass into breast milk. Discuss breastfeeding with your doctor.",
            ),
            (
                Topic.INFECTION,
                "It lowers your defences against infection. Avoid contact with chickenpox and shingles if you "
                "can, and tell your doctor promptly about signs of infection.",
            ),
            (
                Topic.CANCER_RISK,
                "Protect your skin from the sun (clothing, high-factor sunscreen) and have your skin checked "
                "regularly, as the risk of skin cancer is higher.",
            ),
            (
                Topic.VACCINATION,
                "Avoid live vaccines while taking it. Other vaccines may work less well; ask before any vaccination.",
            ),
            (
                Topic.LIVER,
                "Your doctor will check your liver with blood tests. Tell them if you have liver disease.",
            ),
        ],
        "references": [
            dailymed("azathioprine"),
            {
                "title": "Azathioprine",
                "publisher": "MedlinePlus, U.S. National Library of Medicine",
                "url": "https://medlineplus.gov/druginfo/meds/a682167.html",
            },
            nhs("azathioprine", "Azathioprine"),
        ],
    },
    {
        "generic_name": "ibuprofen",
        "summary": "A nonsteroidal anti-inflammatory drug (NSAID) for pain, fever and inflammation, sold over "
        "the counter and on prescription.",
        "availability": Availability.BOTH,
        "rxcui": "5640",
        "atc_code": "M01AE01",
        "names": [("Motrin", NameKind.BRAND), ("Advil", NameKind.BRAND)],
        "classes": ["nsaids"],
        "mechanism": "Ibuprofen blocks the cyclo-oxygenase enzymes COX-1 and COX-2, which make prostaglandins: "
        "chemical messengers that cause pain, fever and inflammation. Blocking them also reduces the protection "
        "prostaglandins give the stomach lining, which explains its stomach side effects.",
        "absorption": "Absorbed well when taken by mouth.",
        "metabolism": "Broken down in the liver.",
        "excretion": "Mainly removed in the urine as breakdown products.",
        "boxed_warning": "Cardiovascular risk: NSAIDs can raise the risk of heart attack and stroke, which can be "
        "fatal; the risk may come early in treatment and may rise with longer use. They must not be used for "
        "pain around heart bypass surgery (CABG).\n\nGastrointestinal risk: NSAIDs raise the risk of bleeding, "
        "ulcers and holes in the stomach or bowel, which can be fatal and can happen without warning. Older "
        "people are at greater risk.",
        "uses": [
            ("pain", True, "Mild to moderate pain."),
            ("fever", True, ""),
            ("period-pain", True, ""),
            ("rheumatoid-arthritis", True, "Relief of signs and symptoms."),
            ("osteoarthritis", True, "Relief of signs and symptoms."),
        ],
        "side_effects": [
            ("indigestion, heartburn or stomach pain", C, MILD, "Take it with or after food."),
            ("feeling sick (nausea)", C, MILD, ""),
            (
                "bleeding in the stomach or bowel",
                NK,
                URGENT,
                "Get help at once for black or bloody stools, or vomiting blood or what looks like coffee grounds.",
            ),
            (
                "heart attack or stroke",
                NK,
                URGENT,
                "Call your emergency number for chest pain, shortness of breath, or weakness on one side.",
            ),
            ("kidney problems", NK, DOCTOR, "Tell your doctor if you pass much less urine or your ankles swell."),
            (
                "severe allergic or skin reaction",
                NK,
                URGENT,
                "Stop taking it and get help for swelling, wheezing, or a blistering or peeling rash.",
            ),
        ],
        "precautions": [
            (
                Topic.PREGNANCY,
                "Avoid NSAIDs in later pregnancy unless a doctor advises them; ask before using any painkiller "
                "while pregnant.",
            ),
            (Topic.KIDNEY, "NSAIDs can harm the kidneys, especially with dehydration or existing kidney disease."),
            (
                Topic.OTHER,
                "Ask a pharmacist before using it if you have had a stomach ulcer, asthma made worse by "
                "painkillers, heart disease or high blood pressure. Do not take two NSAIDs together.",
            ),
        ],
        "references": [dailymed("ibuprofen"), nhs("ibuprofen-for-adults", "Ibuprofen for adults")],
    },
    {
        "generic_name": "naproxen",
        "summary": "A nonsteroidal anti-inflammatory drug (NSAID) for pain and inflammation, including arthritis, "
        "sold over the counter and on prescription.",
        "availability": Availability.BOTH,
        "rxcui": "7258",
        "atc_code": "M01AE02",
        "names": [("Naprosyn", NameKind.BRAND), ("Naprelan", NameKind.BRAND), ("Aleve", NameKind.BRAND)],
        "classes": ["nsaids"],
        "mechanism": "Like other NSAIDs, naproxen blocks the cyclo-oxygenase enzymes (COX-1 and COX-2) that make "
        "prostaglandins, which drive pain and inflammation and also protect the stomach lining.",
        "absorption": "Absorbed well when taken by mouth.",
        "metabolism": "Broken down in the liver.",
        "excretion": "Mainly removed in the urine.",
        "boxed_warning": "Cardiovascular risk: NSAIDs can raise the risk of heart attack and stroke, which can be "
        "fatal, and must not be used for pain around heart bypass surgery (CABG).\n\nGastrointestinal risk: "
        "NSAIDs raise the risk of bleeding, ulcers and holes in the stomach or bowel, which can be fatal and can "
        "happen without warning. Older people are at greater risk.",
        "uses": [
            ("rheumatoid-arthritis", True, "Relief of signs and symptoms."),
            ("osteoarthritis", True, "Relief of signs and symptoms."),
            ("pain", True, ""),
            ("period-pain", True, ""),
            ("gout", True, "Acute gout attacks."),
        ],
        "side_effects": [
            ("indigestion, heartburn or stomach pain", C, MILD, "Take it with food or milk."),
            (
                "bleeding in the stomach or bowel",
                NK,
                URGENT,
                "Get help at once for black or bloody stools, or vomiting blood.",
            ),
            (
                "heart attack or stroke",
                NK,
                URGENT,
                "Call your emergency number for chest pain, shortness of breath, or weakness on one side.",
            ),
            ("kidney problems", NK, DOCTOR, "Tell your doctor if you pass much less urine or your ankles swell."),
        ],
        "precautions": [
            (
                Topic.PREGNANCY,
                "Avoid NSAIDs in later pregnancy unless a doctor advises them; ask before using any painkiller "
                "while pregnant.",
            ),
            (Topic.KIDNEY, "NSAIDs can harm the kidneys, especially with dehydration or existing kidney disease."),
            (
                Topic.OTHER,
                "Ask a pharmacist first if you have had a stomach ulcer, heart disease or high blood pressure. "
                "Do not take two NSAIDs together.",
            ),
        ],
        "references": [dailymed("naproxen"), nhs("naproxen", "Naproxen")],
    },
    {
        "generic_name": "amitriptyline",
        "summary": "A tricyclic antidepressant. On its label for depression; at low doses it is also widely used "
        "off-label for nerve pain and to prevent migraine.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "704",
        "atc_code": "N06AA09",
        "names": [],
        "classes": ["tricyclic-antidepressants"],
        "mechanism": "Amitriptyline slows the reuptake of the nerve messengers serotonin and noradrenaline "
        "(norepinephrine), so more of them stays active between nerve cells. This is thought to help mood and "
        "to damp down pain signals in the spinal cord. It also blocks several other receptors, which explains "
        "its drowsiness and dry mouth.",
        "absorption": "Absorbed when taken by mouth.",
        "metabolism": "Broken down in the liver, partly to nortriptyline, which is also active.",
        "excretion": "Its breakdown products are removed mainly in the urine.",
        "boxed_warning": "Suicidal thoughts and behaviour: antidepressants raised the risk of suicidal thoughts "
        "and behaviour in children, teenagers and young adults in studies. Anyone starting it, or changing the "
        "dose, should be watched closely for worsening mood or suicidal thoughts. It is not approved for "
        "children.",
        "uses": [
            ("depression", True, ""),
            ("nerve-pain", False, "At low doses."),
            ("migraine", False, "To prevent attacks."),
        ],
        "side_effects": [
            ("dry mouth", VC, MILD, "Sugar-free sweets or gum can help."),
            ("drowsiness", VC, MILD, "Taking it in the evening may help. Do not drive if you feel drowsy."),
            ("constipation", NK, MILD, "Drink plenty of fluids and eat high-fibre foods."),
            (
                "worsening mood or suicidal thoughts",
                NK,
                URGENT,
                "Get help straight away, especially in the first weeks or after a dose change.",
            ),
            ("fast or irregular heartbeat", NK, URGENT, "Get medical help at once."),
        ],
        "precautions": [
            (Topic.PREGNANCY, "Talk to your doctor if you are pregnant or planning a pregnancy."),
            (Topic.BREASTFEEDING, "It passes into breast milk; ask your doctor."),
            (
                Topic.OTHER,
                "Tell your doctor about heart problems, glaucoma, difficulty passing urine, epilepsy or bipolar "
                "disorder. Do not stop it suddenly without advice.",
            ),
        ],
        "references": [
            dailymed("amitriptyline"),
            nhs("amitriptyline-for-pain-and-migraine", "Amitriptyline for pain and migraine"),
        ],
    },
    {
        "generic_name": "morphine",
        "summary": "A strong opioid pain reliever for pain severe enough to need one, when other treatments "
        "are not enough.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "7052",
        "atc_code": "N02AA01",
        "names": [("MS Contin", NameKind.BRAND), ("Kadian", NameKind.BRAND)],
        "classes": ["opioids"],
        "mechanism": "Morphine acts mainly on mu-opioid receptors in the brain and spinal cord, reducing how "
        "pain signals travel and how pain is felt. The same action slows breathing and the gut.",
        "absorption": "Absorbed when taken by mouth, but much of it is broken down by the liver before it "
        "reaches the rest of the body, so doses by mouth differ from doses by injection.",
        "metabolism": "Broken down in the liver, mainly to glucuronides; one of them is also active.",
        "excretion": "Removed mainly in the urine. Breakdown products can build up in kidney disease.",
        "boxed_warning": "Addiction, abuse and misuse: morphine exposes people to these risks, which can lead to "
        "overdose and death.\n\nLife-threatening breathing problems (respiratory depression) can happen, "
        "especially when starting or after a dose increase. Swallowing extended-release forms crushed, chewed "
        "or dissolved can release a fatal dose.\n\nAccidental swallowing, especially by children, can be fatal."
        "\n\nUse in pregnancy for a long time can cause withdrawal in the newborn (neonatal opioid withdrawal "
        "syndrome).\n\nTaking it with benzodiazepines or other central nervous system depressants, including "
        "alcohol, can cause profound sedation, breathing problems, coma and death.",
        "uses": [("pain", True, "Pain severe enough to need an opioid, when other treatments are not enough.")],
        "side_effects": [
            ("constipation", NK, MILD, "Your doctor may suggest a laxative; drink plenty of fluids."),
            ("feeling sick (nausea) or being sick", NK, MILD, ""),
            ("drowsiness or dizziness", NK, MILD, "Do not drive or use machines if affected."),
            (
                "slow or shallow breathing, extreme sleepiness",
                NK,
                URGENT,
                "Call your emergency number. Naloxone, if you have it, can be given while waiting.",
            ),
        ],
        "precautions": [
            (
                Topic.PREGNANCY,
                "Long-term use in pregnancy can cause withdrawal symptoms in the baby after birth; talk to your "
                "doctor.",
            ),
            (Topic.BREASTFEEDING, "It passes into breast milk and can make a baby drowsy; ask your doctor."),
            (Topic.KIDNEY, "Its breakdown products can build up if the kidneys do not work well."),
            (
                Topic.OTHER,
                "Do not drink alcohol. Store it out of sight and reach of others, and do not stop it suddenly "
                "after regular use without advice.",
            ),
        ],
        "references": [
            dailymed("morphine sulfate"),
            nhs("morphine", "Morphine"),
            {
                "title": "Drug Safety Communications (opioids with benzodiazepines, 2016)",
                "publisher": "U.S. Food and Drug Administration",
                "url": DRUG_SAFETY_COMMUNICATIONS,
            },
        ],
    },
    {
        "generic_name": "gabapentin",
        "summary": "An anticonvulsant used for nerve pain after shingles and, with other medicines, for "
        "partial-onset seizures.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "25480",
        "atc_code": "N03AX12",
        "names": [("Neurontin", NameKind.BRAND), ("Gralise", NameKind.BRAND)],
        "classes": ["gabapentinoids", "anticonvulsants"],
        "mechanism": "Gabapentin binds to a part of calcium channels on nerve cells (the alpha-2-delta subunit). "
        "This is thought to reduce the release of nerve messengers that carry pain signals and spread seizures.",
        "absorption": "Absorbed when taken by mouth; the body absorbs a smaller share of larger doses.",
        "metabolism": "Not significantly broken down by the body.",
        "excretion": "Removed unchanged by the kidneys, so doses are adjusted when the kidneys do not work well.",
        "boxed_warning": "",
        "uses": [
            ("postherpetic-neuralgia", True, ""),
            ("epilepsy", True, "Partial-onset seizures, with other medicines."),
            ("nerve-pain", False, "Other kinds of nerve pain."),
        ],
        "side_effects": [
            ("dizziness", VC, MILD, "Do not drive or use machines until you know how it affects you."),
            ("drowsiness", VC, MILD, "Do not drive or use machines until you know how it affects you."),
            (
                "breathing problems",
                NK,
                URGENT,
                "Get help at once for slow or shallow breathing, especially with opioids or lung disease.",
            ),
            (
                "worsening mood or suicidal thoughts",
                NK,
                URGENT,
                "Antiseizure medicines carry this rare risk: get help straight away.",
            ),
        ],
        "precautions": [
            (Topic.PREGNANCY, "Talk to your doctor if you are pregnant or planning a pregnancy."),
            (Topic.KIDNEY, "It is removed by the kidneys: your doctor will adjust the dose if they are impaired."),
            (Topic.OTHER, "Do not stop it suddenly, especially if you take it for seizures."),
        ],
        "references": [
            dailymed("gabapentin"),
            nhs("gabapentin", "Gabapentin"),
            {
                "title": "Drug Safety Communications (gabapentinoids and breathing problems, December 2019)",
                "publisher": "U.S. Food and Drug Administration",
                "url": DRUG_SAFETY_COMMUNICATIONS,
            },
        ],
    },
    {
        "generic_name": "pregabalin",
        "summary": "A medicine for nerve pain (including after shingles and from diabetes), fibromyalgia and, "
        "with other medicines, partial-onset seizures.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "187832",
        "atc_code": "N03AX16",
        "names": [("Lyrica", NameKind.BRAND)],
        "classes": ["gabapentinoids", "anticonvulsants"],
        "mechanism": "Like gabapentin, pregabalin binds to the alpha-2-delta part of calcium channels on nerve "
        "cells, which is thought to reduce the release of nerve messengers that carry pain signals.",
        "absorption": "Absorbed well and quickly when taken by mouth.",
        "metabolism": "Hardly broken down by the body.",
        "excretion": "Removed mostly unchanged by the kidneys; doses are adjusted when the kidneys do not work well.",
        "boxed_warning": "",
        "uses": [
            ("diabetic-nerve-pain", True, ""),
            ("postherpetic-neuralgia", True, ""),
            ("fibromyalgia", True, ""),
            ("epilepsy", True, "Partial-onset seizures, with other medicines."),
        ],
        "side_effects": [
            ("dizziness", VC, MILD, "Do not drive or use machines until you know how it affects you."),
            ("drowsiness", VC, MILD, "Do not drive or use machines until you know how it affects you."),
            (
                "breathing problems",
                NK,
                URGENT,
                "Get help at once for slow or shallow breathing, especially with opioids or lung disease.",
            ),
            ("swelling of the face, lips or throat (angioedema)", NK, URGENT, "Get emergency help."),
        ],
        "precautions": [
            (Topic.PREGNANCY, "Talk to your doctor if you are pregnant or planning a pregnancy."),
            (Topic.KIDNEY, "It is removed by the kidneys: your doctor will adjust the dose if they are impaired."),
            (Topic.OTHER, "Do not stop it suddenly; your doctor will reduce it gradually."),
        ],
        "references": [
            dailymed("pregabalin"),
            nhs("pregabalin", "Pregabalin"),
            {
                "title": "Drug Safety Communications (gabapentinoids and breathing problems, December 2019)",
                "publisher": "U.S. Food and Drug Administration",
                "url": DRUG_SAFETY_COMMUNICATIONS,
            },
        ],
    },
    {
        "generic_name": "lidocaine",
        "summary": "A local anaesthetic. As a skin patch it is used for nerve pain after shingles; creams and "
        "injections numb the skin or an area before procedures.",
        "availability": Availability.BOTH,
        "rxcui": "6387",
        "atc_code": "N01BB02",
        "names": [("Lidoderm", NameKind.BRAND), ("Xylocaine", NameKind.BRAND), ("lignocaine", NameKind.GENERIC)],
        "classes": ["local-anaesthetics"],
        "mechanism": "Lidocaine blocks sodium channels in nerve cell membranes, so nerves cannot pass on pain "
        "signals from the area where it is applied.",
        "absorption": "Little reaches the bloodstream from a patch on intact skin; more is absorbed from broken "
        "or inflamed skin, or from large areas.",
        "metabolism": "Broken down in the liver.",
        "excretion": "Its breakdown products are removed in the urine.",
        "boxed_warning": "",
        "uses": [("postherpetic-neuralgia", True, "As a skin patch."), ("pain", True, "To numb an area.")],
        "side_effects": [
            ("redness, itching or irritation where applied", NK, MILD, "Remove the patch; it usually settles."),
            (
                "dizziness, confusion, numb lips or an irregular heartbeat",
                NK,
                URGENT,
                "Signs that too much has been absorbed: remove it and get help at once.",
            ),
        ],
        "precautions": [
            (Topic.LIVER, "Tell your doctor about liver disease: the body removes it more slowly."),
            (
                Topic.OTHER,
                "Apply only to intact skin, use no more patches than prescribed, and keep used and unused "
                "patches away from children and pets.",
            ),
        ],
        "references": [dailymed("lidocaine patch")],
    },
    {
        "generic_name": "cyclobenzaprine",
        "summary": "A muscle relaxant used for a short time, with rest and physical therapy, to relieve muscle "
        "spasm from painful strains and injuries.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "21949",
        "atc_code": "M03BX08",
        "names": [("Amrix", NameKind.BRAND), ("Flexeril", NameKind.BRAND)],
        "classes": ["muscle-relaxants"],
        "mechanism": "Cyclobenzaprine acts in the brainstem to reduce muscle spasm; it does not act on the "
        "muscles themselves. It is chemically close to the tricyclic antidepressants.",
        "absorption": "Absorbed when taken by mouth.",
        "metabolism": "Broken down in the liver.",
        "excretion": "Its breakdown products are removed mainly in the urine.",
        "boxed_warning": "",
        "uses": [("muscle-spasm", True, "Short-term use for painful musculoskeletal conditions.")],
        "side_effects": [
            ("drowsiness", VC, MILD, "Do not drive or use machines if affected."),
            ("dry mouth", VC, MILD, ""),
            ("dizziness", NK, MILD, ""),
            ("fast or irregular heartbeat", NK, URGENT, "Get medical help at once."),
        ],
        "precautions": [
            (Topic.LIVER, "Tell your doctor about liver disease."),
            (
                Topic.OTHER,
                "Not for people recovering from a heart attack or with certain heart rhythm problems or an "
                "overactive thyroid. Older people may be more sensitive to it.",
            ),
        ],
        "references": [dailymed("cyclobenzaprine")],
    },
    {
        "generic_name": "baclofen",
        "summary": "A muscle relaxant for stiffness and spasm (spasticity) caused by multiple sclerosis or "
        "spinal cord conditions.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "1292",
        "atc_code": "M03BX01",
        "names": [("Lioresal", NameKind.BRAND)],
        "classes": ["muscle-relaxants"],
        "mechanism": "Baclofen acts like the nerve messenger GABA at GABA-B receptors in the spinal cord, "
        "damping the nerve signals that make muscles tighten.",
        "absorption": "Absorbed when taken by mouth.",
        "metabolism": "Only a small part is broken down.",
        "excretion": "Removed mostly unchanged by the kidneys.",
        "boxed_warning": "",
        "uses": [("spasticity", True, "From multiple sclerosis or spinal cord injury or disease.")],
        "side_effects": [
            ("drowsiness", VC, MILD, "Do not drive or use machines if affected."),
            ("weakness or dizziness", NK, MILD, ""),
            (
                "withdrawal symptoms if stopped suddenly",
                NK,
                URGENT,
                "Hallucinations, seizures or high fever after stopping need urgent help; never stop it suddenly.",
            ),
        ],
        "precautions": [
            (Topic.KIDNEY, "It is removed by the kidneys: lower doses may be needed if they are impaired."),
            (Topic.OTHER, "Do not stop it suddenly: your doctor will reduce it gradually."),
        ],
        "references": [dailymed("baclofen"), nhs("baclofen", "Baclofen")],
    },
    {
        "generic_name": "allopurinol",
        "summary": "A xanthine oxidase inhibitor that lowers uric acid, used to prevent gout attacks.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "519",
        "atc_code": "M04AA01",
        "names": [("Zyloprim", NameKind.BRAND)],
        "classes": ["xanthine-oxidase-inhibitors"],
        "mechanism": "Allopurinol blocks xanthine oxidase, the enzyme that makes uric acid, so less uric acid "
        "builds up and forms crystals in the joints.",
        "absorption": "Absorbed when taken by mouth.",
        "metabolism": "Converted in the body to oxipurinol, which also blocks xanthine oxidase.",
        "excretion": "Removed mainly by the kidneys.",
        "boxed_warning": "",
        "uses": [("gout", True, "To prevent attacks by lowering uric acid.")],
        "side_effects": [
            ("skin rash", C, DOCTOR, "Stop taking it and see a doctor: a rash can be the start of a severe reaction."),
            (
                "severe skin reaction with blistering, fever or feeling unwell",
                NK,
                URGENT,
                "Get emergency help.",
            ),
        ],
        "precautions": [
            (Topic.KIDNEY, "Lower doses may be needed if the kidneys do not work well."),
        ],
        "references": [dailymed("allopurinol"), nhs("allopurinol", "Allopurinol")],
    },
    {
        "generic_name": "febuxostat",
        "summary": "A xanthine oxidase inhibitor for gout in adults who cannot take allopurinol or for whom it "
        "has not worked well enough.",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "73689",
        "atc_code": "M04AA03",
        "names": [("Uloric", NameKind.BRAND)],
        "classes": ["xanthine-oxidase-inhibitors"],
        "mechanism": "Febuxostat blocks xanthine oxidase, the enzyme that makes uric acid.",
        "absorption": "Absorbed when taken by mouth.",
        "metabolism": "Broken down in the liver.",
        "excretion": "Removed in the urine and the faeces.",
        "boxed_warning": "Cardiovascular death: in a large study, people with gout and established heart disease "
        "who took febuxostat had a higher rate of death from heart causes than those taking allopurinol. It is "
        "for people who cannot take allopurinol or for whom it has not worked well enough.",
        "uses": [("gout", True, "Long-term lowering of uric acid when allopurinol is not suitable.")],
        "side_effects": [
            ("gout flares when starting", NK, MILD, "Keep taking it; your doctor may give medicine to prevent flares."),
            ("liver problems", NK, DOCTOR, "Tell your doctor about yellowing skin or eyes or dark urine."),
            ("chest pain, shortness of breath or weakness on one side", NK, URGENT, "Call your emergency number."),
        ],
        "precautions": [(Topic.LIVER, "Your doctor may check your liver with blood tests.")],
        "references": [dailymed("febuxostat")],
    },
    {
        "generic_name": "warfarin",
        "summary": "An anticoagulant taken by mouth to prevent and treat blood clots. It needs regular blood "
        "tests (INR).",
        "availability": Availability.PRESCRIPTION,
        "rxcui": "11289",
        "atc_code": "B01AA03",
        "names": [("Jantoven", NameKind.BRAND), ("Coumadin", NameKind.BRAND)],
        "classes": ["anticoagulants"],
        "mechanism": "Warfarin blocks the recycling of vitamin K, which the liver needs to make several clotting "
        "factors, so blood takes longer to clot.",
        "absorption": "Absorbed well when taken by mouth.",
        "metabolism": "Broken down in the liver; many medicines and foods change how quickly.",
        "excretion": "Its breakdown products are removed mainly in the urine.",
        "boxed_warning": "Bleeding risk: warfarin can cause major or fatal bleeding. Regular INR blood tests are "
        "needed, and many medicines, foods and supplements change its effect.",
        "uses": [
            ("blood-clots", True, "To prevent and treat them."),
            ("atrial-fibrillation", True, "To prevent clots and stroke."),
        ],
        "side_effects": [
            (
                "bleeding",
                NK,
                URGENT,
                "Get help at once for heavy or long bleeding, black or bloody stools, or blood in urine or vomit.",
            ),
            ("bruising more easily", NK, DOCTOR, "Tell your doctor or anticoagulant clinic."),
        ],
        "precautions": [
            (Topic.PREGNANCY, "It can harm an unborn baby; talk to your doctor before and during pregnancy."),
            (
                Topic.OTHER,
                "Keep your diet steady in vitamin K and tell every doctor, dentist and pharmacist you take it. "
                "Check before taking any new medicine or supplement.",
            ),
        ],
        "references": [dailymed("warfarin"), nhs("warfarin", "Warfarin")],
    },
]

# (drug, other drug / "class:<slug>" / "substance:<value>", severity, what happens, what to do, label query)
INTERACTIONS = [
    (
        "azathioprine",
        "febuxostat",
        Severity.CONTRAINDICATED,
        "Febuxostat blocks xanthine oxidase, one of the enzymes that break down azathioprine. The active "
        "compounds can build up to levels that severely suppress the bone marrow.",
        "Do not take them together: the febuxostat label says so.",
        "febuxostat",
    ),
    (
        "azathioprine",
        "allopurinol",
        Severity.MAJOR,
        "Allopurinol blocks xanthine oxidase, one of the enzymes that break down azathioprine, so its active "
        "compounds build up and can severely suppress the bone marrow.",
        "Only under close medical supervision: the azathioprine label says its dose must be substantially "
        "reduced, with close blood count monitoring.",
        "azathioprine",
    ),
    (
        "azathioprine",
        "warfarin",
        Severity.MODERATE,
        "Azathioprine may reduce the anticoagulant effect of warfarin.",
        "Your INR may need checking more often when azathioprine is started, changed or stopped.",
        "azathioprine",
    ),
    (
        "azathioprine",
        "class:ace-inhibitors",
        Severity.MODERATE,
        "ACE inhibitors taken with azathioprine have been reported to cause anaemia and severe leukopenia "
        "(low white cell count).",
        "Your doctor may check your blood counts more closely.",
        "azathioprine",
    ),
    (
        "azathioprine",
        "substance:live_vaccines",
        Severity.MAJOR,
        "With the immune system suppressed, a live vaccine could cause the infection it is meant to prevent.",
        "Avoid live vaccines while taking azathioprine; ask before any vaccination.",
        "azathioprine",
    ),
    (
        "ibuprofen",
        "naproxen",
        Severity.MODERATE,
        "Two NSAIDs together add to the risk of stomach and bowel bleeding and ulcers without adding benefit.",
        "Do not take them together; take one NSAID at a time.",
        "ibuprofen",
    ),
    (
        "ibuprofen",
        "warfarin",
        Severity.MAJOR,
        "NSAIDs add to warfarin's bleeding risk, especially in the stomach and bowel.",
        "Avoid unless a doctor advises it; ask a pharmacist about other painkillers.",
        "ibuprofen",
    ),
    (
        "naproxen",
        "warfarin",
        Severity.MAJOR,
        "NSAIDs add to warfarin's bleeding risk, especially in the stomach and bowel.",
        "Avoid unless a doctor advises it; ask a pharmacist about other painkillers.",
        "naproxen",
    ),
    (
        "morphine",
        "substance:alcohol",
        Severity.MAJOR,
        "Alcohol adds to morphine's sedation and can slow breathing dangerously. With some extended-release "
        "forms it can also release the dose too fast.",
        "Do not drink alcohol while taking morphine.",
        "morphine sulfate",
    ),
    (
        "morphine",
        "class:benzodiazepines",
        Severity.MAJOR,
        "Together they can cause profound sedation, slowed breathing, coma and death.",
        "Only when other options are not enough, at the lowest doses, with close monitoring.",
        "morphine sulfate",
    ),
    (
        "morphine",
        "gabapentin",
        Severity.MAJOR,
        "Gabapentin adds to the sedation of opioids and can cause serious breathing problems (FDA warning, 2019).",
        "Your doctor may start gabapentin at a low dose; get help for unusual sleepiness or slow breathing.",
        "gabapentin",
    ),
    (
        "morphine",
        "pregabalin",
        Severity.MAJOR,
        "Pregabalin adds to the sedation of opioids and can cause serious breathing problems (FDA warning, 2019).",
        "Your doctor may start pregabalin at a low dose; get help for unusual sleepiness or slow breathing.",
        "pregabalin",
    ),
    (
        "amitriptyline",
        "class:mao-inhibitors",
        Severity.CONTRAINDICATED,
        "Together they can cause serious reactions, including serotonin syndrome, high fever and seizures.",
        "Do not take them together, or within two weeks of stopping an MAO inhibitor.",
        "amitriptyline",
    ),
    (
        "amitriptyline",
        "substance:alcohol",
        Severity.MODERATE,
        "Alcohol adds to its drowsiness and may make it harder to think and react.",
        "Avoid or limit alcohol, especially at first.",
        "amitriptyline",
    ),
    (
        "cyclobenzaprine",
        "class:mao-inhibitors",
        Severity.CONTRAINDICATED,
        "Cyclobenzaprine is related to the tricyclic antidepressants; with MAO inhibitors it can cause serious, "
        "sometimes fatal reactions.",
        "Do not take them together, or within two weeks of stopping an MAO inhibitor.",
        "cyclobenzaprine",
    ),
    (
        "cyclobenzaprine",
        "substance:alcohol",
        Severity.MODERATE,
        "Cyclobenzaprine can increase the effects of alcohol and other sedatives.",
        "Avoid alcohol while taking it.",
        "cyclobenzaprine",
    ),
    (
        "baclofen",
        "substance:alcohol",
        Severity.MODERATE,
        "Alcohol adds to baclofen's drowsiness.",
        "Avoid alcohol, or ask your doctor.",
        "baclofen",
    ),
]


def update(obj, values: dict) -> None:
    """Save ``obj`` only when one of ``values`` differs, so a second run moves no timestamps."""
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save()


def sync(model, lookup: dict, values: dict):
    """Find the row by ``lookup``; create it, or save it only when a value differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    update(obj, values)
    return obj


def sync_children(manager, key: tuple[str, ...], rows: list[dict]) -> list[int]:
    """Make a drug's related rows exactly ``rows`` (matched on ``key``), in one read."""
    existing = {tuple(getattr(obj, field) for field in key): obj for obj in manager.all()}
    keep = []
    for values in rows:
        obj = existing.get(tuple(values[field] for field in key))
        if obj is None:
            obj = manager.create(**values)
        else:
            update(obj, values)
        keep.append(obj.pk)
    stale = [obj.pk for obj in existing.values() if obj.pk not in keep]
    if stale:
        manager.filter(pk__in=stale).delete()
    return keep


def review_record(reviewer) -> dict:
    """Reviewed on the day the demo drugs were published, so the dates are the same on every run."""
    if reviewer is None:
        return {}
    reviewed_on = PUBLISHED_AT.date()
    return {
        "reviewed_by": reviewer,
        "last_reviewed": reviewed_on,
        "next_review_due": add_months(reviewed_on, review_interval_months()),
    }


def load(*, author, reviewer=None) -> None:
    """Create or update the demo drugs, written by ``author`` and, when given, signed off by ``reviewer``."""
    classes = {
        data["slug"]: sync(
            DrugClass, {"slug": data["slug"]}, {"name": data["name"], "description": data["description"]}
        )
        for data in CLASSES
    }
    conditions = {
        slug: sync(Condition, {"slug": slug}, {"name": name, "description": description})
        for name, slug, description in CONDITIONS
    }
    existing_drugs = {
        drug.slug: drug for drug in Drug.objects.filter(slug__in=[slugify(d["generic_name"]) for d in DRUGS])
    }
    drugs = {}
    for data in DRUGS:
        name = data["generic_name"]
        values = {
            "generic_name": name,
            "summary": data["summary"],
            "availability": data["availability"],
            "rxcui": data["rxcui"],
            "atc_code": data["atc_code"],
            "mechanism": data["mechanism"],
            "absorption": data["absorption"],
            "metabolism": data["metabolism"],
            "excretion": data["excretion"],
            "boxed_warning": data["boxed_warning"],
            "status": Status.PUBLISHED,
            "published_at": PUBLISHED_AT,
            "author": author,
            **review_record(reviewer),
        }
        drug = existing_drugs.get(slugify(name))
        if drug is None:
            drug = Drug.objects.create(slug=slugify(name), **values)
        else:
            update(drug, values)
        drugs[name] = drug
        drug.classes.set([classes[slug] for slug in data["classes"]])
        sync_children(
            drug.names,
            ("slug",),
            [{"slug": slugify(other), "name": other, "kind": kind} for other, kind in data["names"]],
        )
        sync_children(
            drug.uses,
            ("condition_id",),
            [
                {"condition_id": conditions[slug].pk, "on_label": on_label, "note": note}
                for slug, on_label, note in data["uses"]
            ],
        )
        sync_children(
            drug.side_effects,
            ("name",),
            [
                {"name": effect, "frequency": frequency, "seriousness": seriousness, "what_to_do": what_to_do}
                for effect, frequency, seriousness, what_to_do in data["side_effects"]
            ],
        )
        sync_children(
            drug.precautions, ("topic", "text"), [{"topic": topic, "text": text} for topic, text in data["precautions"]]
        )
        sync_children(
            drug.references,
            ("title",),
            [
                {"title": ref["title"], "publisher": ref["publisher"], "url": ref["url"], "position": position}
                for position, ref in enumerate(data["references"])
            ],
        )

    demo_drugs = [drug.pk for drug in drugs.values()]
    existing = {
        (i.drug_a_id, i.drug_b_id, i.drug_class_id, i.substance): i
        for i in Interaction.objects.filter(Q(drug_a__in=demo_drugs) | Q(drug_b__in=demo_drugs))
    }
    keep = []
    for name, other, severity, what_happens, what_to_do, label_query in INTERACTIONS:
        drug = drugs[name]
        if other.startswith("class:"):
            key = (drug.pk, None, classes[other.removeprefix("class:")].pk, "")
        elif other.startswith("substance:"):
            key = (drug.pk, None, None, Substance(other.removeprefix("substance:")).value)
        else:
            first, second = sorted([drug.pk, drugs[other].pk])
            key = (first, second, None, "")
        title, url = label(label_query)
        values = {
            "severity": severity,
            "what_happens": what_happens,
            "what_to_do": what_to_do,
            "reference_title": title,
            "reference_url": url,
        }
        interaction = existing.get(key)
        if interaction is None:
            interaction = Interaction.objects.create(
                drug_a_id=key[0], drug_b_id=key[1], drug_class_id=key[2], substance=key[3], **values
            )
        else:
            update(interaction, values)
        keep.append(interaction.pk)
    stale = [pk for pk in (i.pk for i in existing.values()) if pk not in keep]
    if stale:
        Interaction.objects.filter(pk__in=stale).delete()
