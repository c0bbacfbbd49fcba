"""Demo categories and articles for ``load_demo``.

The demo content is general health information written for this site in its
own words. It cites public sources (FDA labels on DailyMed, FDA safety
communications, NICE and CDC guidelines, MedlinePlus and NHS pages) by link
only and copies no text from them. It deliberately gives no doses: readers are
sent to their prescriber, pharmacist and the product label for those.
"""

from datetime import UTC, date, datetime


def _html(text: str) -> str:
    """Collapse the source indentation of a body into single spaces."""
    return " ".join(text.split())


def _published(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=UTC)


CATEGORIES = [
    {
        "name": "Pain Relief",
        "slug": "pain-relief",
        "description": "How pain medicines work, how to use them safely and what else can help.",
        "featured": True,
    },
    {
        "name": "Immunology",
        "slug": "immunology",
        "description": "Conditions of the immune system and the medicines that calm or adjust it.",
        "featured": True,
    },
    {
        "name": "Transplant Medicine",
        "slug": "transplant-medicine",
        "description": "Life after an organ transplant, including the medicines that prevent rejection.",
        "featured": False,
        "parent": "immunology",
    },
    {
        "name": "Rheumatology",
        "slug": "rheumatology",
        "description": "Arthritis and other conditions of the joints, muscles and connective tissue.",
        "featured": False,
    },
    {
        "name": "Digestive Health",
        "slug": "digestive-health",
        "description": "Conditions of the gut, liver and digestive system and how they are treated.",
        "featured": False,
    },
    {
        "name": "Medicines and Safety",
        "slug": "medicines-and-safety",
        "description": "Practical advice on taking medicines safely, side effects and interactions.",
        "featured": True,
    },
]


# --- Public references used by more than one article -------------------------

REF_DAILYMED_AZATHIOPRINE = {
    "title": "Azathioprine prescribing information (search results)",
    "publisher": "DailyMed, U.S. National Library of Medicine",
    "year": None,
    "url": "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=AZATHIOPRINE",
}
REF_MEDLINEPLUS_AZATHIOPRINE = {
    "title": "Azathioprine",
    "publisher": "MedlinePlus, U.S. National Library of Medicine",
    "year": None,
    "url": "https://medlineplus.gov/druginfo/meds/a682167.html",
}
REF_NHS_AZATHIOPRINE = {
    "title": "Azathioprine",
    "publisher": "NHS",
    "year": None,
    "url": "https://www.nhs.uk/medicines/azathioprine/",
}
REF_CPIC_THIOPURINES = {
    "title": "CPIC guideline for thiopurines and TPMT and NUDT15",
    "publisher": "Clinical Pharmacogenetics Implementation Consortium",
    "year": None,
    "url": "https://cpicpgx.org/guidelines/guideline-for-thiopurines-and-tpmt/",
}
REF_FDA_NSAID_2015 = {
    "title": "FDA strengthens warning that non-aspirin NSAIDs can cause heart attacks or strokes",
    "publisher": "U.S. Food and Drug Administration",
    "year": 2015,
    "url": (
        "https://www.fda.gov/drugs/drug-safety-and-availability/"
        "fda-drug-safety-communication-fda-strengthens-warning-non-aspirin-nonsteroidal-anti-inflammatory"
    ),
}
REF_FDA_NSAID_PREGNANCY_2020 = {
    "title": "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or later",
    "publisher": "U.S. Food and Drug Administration",
    "year": 2020,
    "url": (
        "https://www.fda.gov/drugs/drug-safety-and-availability/"
        "fda-recommends-avoiding-use-nsaids-pregnancy-20-weeks-or-later-because-they-can-result-low-amniotic"
    ),
}
REF_MEDLINEPLUS_IBUPROFEN = {
    "title": "Ibuprofen",
    "publisher": "MedlinePlus, U.S. National Library of Medicine",
    "year": None,
    "url": "https://medlineplus.gov/druginfo/meds/a682159.html",
}
REF_MEDLINEPLUS_NAPROXEN = {
    "title": "Naproxen",
    "publisher": "MedlinePlus, U.S. National Library of Medicine",
    "year": None,
    "url": "https://medlineplus.gov/druginfo/meds/a681029.html",
}
REF_NHS_IBUPROFEN = {
    "title": "Ibuprofen for adults",
    "publisher": "NHS",
    "year": None,
    "url": "https://www.nhs.uk/medicines/ibuprofen-for-adults/",
}
REF_NHS_NAPROXEN = {
    "title": "Naproxen",
    "publisher": "NHS",
    "year": None,
    "url": "https://www.nhs.uk/medicines/naproxen/",
}
REF_CDC_OPIOIDS_2022 = {
    "title": "CDC Clinical Practice Guideline for Prescribing Opioids for Pain, United States, 2022",
    "publisher": "Centers for Disease Control and Prevention",
    "year": 2022,
    "url": "https://www.cdc.gov/mmwr/volumes/71/rr/rr7103a1.htm",
}
REF_NICE_NG193 = {
    "title": "Chronic pain (primary and secondary) in over 16s: assessment of all chronic pain and management "
    "of chronic primary pain (NG193)",
    "publisher": "National Institute for Health and Care Excellence",
    "year": 2021,
    "url": "https://www.nice.org.uk/guidance/ng193",
}
REF_FDA_GABAPENTINOIDS_2019 = {
    "title": "FDA warns about serious breathing problems with seizure and nerve pain medicines gabapentin and "
    "pregabalin",
    "publisher": "U.S. Food and Drug Administration",
    "year": 2019,
    "url": (
        "https://www.fda.gov/drugs/drug-safety-and-availability/"
        "fda-warns-about-serious-breathing-problems-seizure-and-nerve-pain-medicines-gabapentin-neurontin"
    ),
}
REF_NICE_CG173 = {
    "title": "Neuropathic pain in adults: pharmacological management in non-specialist settings (CG173)",
    "publisher": "National Institute for Health and Care Excellence",
    "year": None,
    "url": "https://www.nice.org.uk/guidance/cg173",
}


IMURAN_BODY = _html("""
<p>Azathioprine is a medicine that calms an overactive immune system. It is used to help stop the body
rejecting a kidney transplant and to treat some autoimmune conditions, in which the immune system attacks the
body's own tissues. This article explains how it works, how the body handles it, what it is used for and how to
take it as safely as possible.</p>

<h2>What azathioprine is</h2>
<p>Azathioprine is an <strong>immunosuppressant</strong>: it reduces the activity of the immune system.
<em>Imuran</em> is one brand name; azathioprine is also available under other brand names and as a generic
medicine. It is a prescription medicine, usually started and overseen by a specialist team.</p>
<p>Azathioprine is a <strong>prodrug</strong>. It does little by itself, but after it is absorbed the body
converts it to <strong>6-mercaptopurine</strong>, which is then turned into active compounds (thioguanine
nucleotides). These interfere with the way cells copy their DNA. White blood cells called lymphocytes multiply
quickly when the immune system is switched on, so they are especially affected, and the immune response is
damped down.</p>

<h2>Pharmacokinetics</h2>
<p>Pharmacokinetics describes how the body takes up a medicine, changes it and gets rid of it.</p>
<ul>
<li><strong>Absorption.</strong> Azathioprine is absorbed well when it is taken by mouth.</li>
<li><strong>Conversion and breakdown.</strong> It is converted to 6-mercaptopurine mainly in the liver and in red
blood cells. From there, several enzymes compete for it: some pathways make the active compounds, while others,
including the enzymes <strong>thiopurine methyltransferase (TPMT)</strong> and <strong>xanthine
oxidase</strong>, send it down other routes.</li>
<li><strong>Why TPMT and NUDT15 matter.</strong> The activity of TPMT and of another enzyme,
<strong>NUDT15</strong>, is partly inherited and varies from person to person. People with low or absent
activity of either enzyme build up more of the active compounds and are at much higher risk of a severe, and
sometimes life-threatening, fall in blood counts. This is why TPMT (and, increasingly, NUDT15) is usually tested
before treatment starts, so the specialist can choose a suitable dose or a different medicine. A normal result
does not replace regular blood tests during treatment.</li>
<li><strong>Elimination.</strong> Azathioprine's breakdown products leave the body mainly in the urine. Kidney or
liver problems can change how the medicine is handled, which the prescriber takes into account.</li>
</ul>

<h2>Use after organ transplant</h2>
<p>Azathioprine is approved to help prevent <strong>rejection of a kidney transplant</strong>. It is not used on
its own: it is combined with other immunosuppressants, commonly including a steroid, and the combination is
chosen by the transplant team. In many transplant centres another medicine, mycophenolate, is now used more
often in this role, but azathioprine remains an option for some people.</p>
<p>Anti-rejection medicines are usually needed for as long as the transplant works. They should never be stopped
or changed without talking to the transplant team. There is more on this in
<a href="/articles/kidney-transplant-medicines/">Living with a kidney transplant</a>.</p>

<h2>Use in autoimmune diseases</h2>
<p>In the United States azathioprine is approved for <strong>rheumatoid arthritis</strong>. Specialists also use
it for other conditions that are not listed on the US label (off-label use), including:</p>
<ul>
<li><strong>Lupus</strong> (systemic lupus erythematosus);</li>
<li><strong>Inflammatory bowel disease</strong>, such as Crohn's disease and ulcerative colitis;</li>
<li>some other autoimmune conditions of the liver, blood vessels, skin and muscles.</li>
</ul>
<p>In these conditions azathioprine is often used to keep the disease under control over the long term and to
reduce reliance on steroids, which cause more harm the longer they are taken. It works slowly: it can take
several weeks to a few months before the benefit is clear, so other treatments are often continued while it
takes effect.</p>

<h2>Side effects</h2>
<p>Not everyone gets side effects, and many people take azathioprine for years. Side effects that can occur
include:</p>
<ul>
<li><strong>Nausea and vomiting</strong>, especially at the start. Taking the tablets with or after food may
help; tell your team if it persists.</li>
<li><strong>Lower blood counts.</strong> Azathioprine can reduce the white cells that fight infection, the
platelets that help blood clot and the red cells that carry oxygen. This is why
<a href="/articles/azathioprine-blood-tests/">regular blood tests</a> are part of treatment.</li>
<li><strong>Infections</strong>, which may be more frequent or more serious than usual, including rare serious
viral infections.</li>
<li><strong>Liver problems</strong>, usually found on blood tests.</li>
<li><strong>Inflammation of the pancreas (pancreatitis)</strong>, which causes severe pain in the upper abdomen,
often spreading to the back.</li>
<li><strong>Hypersensitivity reactions</strong>, usually early in treatment, with fever, feeling generally
unwell, muscle or joint aches, rash, dizziness or sickness and diarrhoea.</li>
</ul>
<h3>When to get medical help urgently</h3>
<p>Contact your doctor or specialist team straight away, or get urgent care, if you have:</p>
<ul>
<li>a fever, chills, a sore throat, mouth ulcers or other signs of infection;</li>
<li>unusual bruising or bleeding, or tiny red or purple spots on the skin;</li>
<li>yellowing of the skin or the whites of the eyes, or dark urine;</li>
<li>severe stomach pain, or a reaction with fever, rash and feeling very unwell soon after starting.</li>
</ul>

<h2>Precautions</h2>
<ul>
<li><strong>Cancer risk.</strong> Long-term immunosuppression increases the risk of some cancers. The US
prescribing information carries a <strong>boxed warning</strong> about malignancy, including lymphoma, and skin
cancers are also more common in people taking azathioprine. Protect your skin from the sun with clothing, shade
and a high-protection sunscreen, avoid sunbeds, check your skin regularly and report any new or changing spots or
lumps.</li>
<li><strong>Vaccines.</strong> Live vaccines (for example, yellow fever and measles, mumps and rubella) should be
avoided while taking azathioprine. Non-live vaccines, such as the yearly flu injection, are generally
recommended. Check with your team before any vaccination.</li>
<li><strong>Pregnancy and breastfeeding.</strong> Azathioprine can cause harm in pregnancy, but for some people
the risks of stopping treatment are greater. If you are pregnant, planning a pregnancy or breastfeeding, discuss
it with your specialist before making any change; do not stop the medicine on your own.</li>
<li><strong>Interactions.</strong> <strong>Allopurinol</strong> and <strong>febuxostat</strong>, used for gout,
block xanthine oxidase, one of the enzymes that clears azathioprine. Taken together they can lead to dangerous
levels and severe falls in blood counts, so the combination is avoided or the azathioprine dose is changed
substantially by the prescriber. Other medicines that affect blood counts, and blood thinners such as warfarin,
can also interact.</li>
<li><strong>Tell every clinician.</strong> Let every doctor, dentist, nurse and pharmacist who treats you know
that you take azathioprine, including before buying over-the-counter medicines or supplements.</li>
<li><strong>Don't stop suddenly on your own.</strong> The condition being treated can flare, or a transplant can
be rejected. Your specialist can plan any change with you.</li>
</ul>
""")


CHRONIC_PAIN_BODY = _html("""
<p>Chronic pain is pain that lasts, or keeps coming back, for more than about three months. It is common, and it
can affect sleep, mood, work and relationships. Medicines are only one part of managing it, and no single
medicine suits everyone. This article explains the main groups of medicines used, how they are thought to work,
their main risks and how they fit alongside other approaches.</p>

<h2>Different kinds of pain need different approaches</h2>
<p>Clinicians often think about chronic pain in broad types, because medicines that help one type may do little
for another:</p>
<ul>
<li><strong>Nociceptive pain</strong> comes from damaged or inflamed tissue, such as arthritic joints.</li>
<li><strong>Neuropathic (nerve) pain</strong> comes from damage to, or disease of, the nerves themselves; it
often burns, shoots or tingles. See <a href="/articles/nerve-pain-what-helps/">Nerve pain: what helps</a>.</li>
<li><strong>Chronic primary pain</strong>, such as fibromyalgia or some long-term back pain, is a condition in
its own right rather than a sign of another disease. UK guidance (NICE NG193) advises against starting most
painkillers for this kind of pain, because evidence of benefit is weak and harms are real, but says an
antidepressant may be considered after discussion.</li>
</ul>

<h2>Tricyclic antidepressants</h2>
<p><strong>Amitriptyline</strong> is the best-known example. For pain it is usually prescribed at low doses,
much lower than those once used for depression, and it can help some kinds of nerve pain and certain other
long-term pain conditions. It is thought to work by changing the way pain signals are handled in the spinal cord
and brain, not by treating low mood. It is often taken in the evening and built up gradually, and it may take a
few weeks to show its full effect.</p>
<ul>
<li><strong>Common side effects:</strong> drowsiness, dry mouth, constipation, blurred vision and dizziness on
standing up.</li>
<li><strong>Cautions:</strong> some heart rhythm problems, glaucoma, difficulty passing urine and older age.
Amitriptyline is dangerous in overdose, so it should be stored safely. As with other antidepressants, tell
someone promptly if your mood changes or you have thoughts of harming yourself.</li>
</ul>
<p>Duloxetine, a different type of antidepressant, is another option for some kinds of pain.</p>

<h2>Non-steroidal anti-inflammatory drugs (NSAIDs)</h2>
<p><strong>Ibuprofen</strong> and <strong>naproxen</strong> reduce the production of prostaglandins, chemicals
involved in inflammation and pain. They can help pain from inflamed joints or tissues, such as flares of
arthritis, but they are less useful for nerve pain.</p>
<p>Used regularly over long periods, NSAIDs can cause <strong>stomach ulcers and bleeding</strong>, harm the
<strong>kidneys</strong>, raise blood pressure and increase the risk of <strong>heart attack and stroke</strong>.
For long-term pain they are usually used at the lowest dose that works, for the shortest time, and the need for
them is reviewed regularly. Gels and creams applied to the skin are an alternative for some joints. See
<a href="/articles/taking-nsaids-safely/">Taking NSAIDs safely</a>.</p>

<h2>Opioids</h2>
<p>Opioids such as <strong>morphine</strong> act on opioid receptors in the brain and spinal cord. They are
important for severe short-term pain, pain after surgery and pain from cancer or at the end of life. For
long-term pain that is not caused by cancer, however, there is limited evidence that they keep working over
months and years, and their risks grow with time and dose. The 2022 CDC guideline advises trying non-opioid
treatments first and using opioids only when the expected benefits outweigh the risks.</p>
<ul>
<li><strong>Risks:</strong> drowsiness, constipation, nausea, tolerance (needing more for the same effect),
physical dependence, addiction and, most seriously, <strong>slowed or stopped breathing</strong>, especially when
combined with alcohol, benzodiazepines, gabapentinoids or other sedating medicines.</li>
<li><strong>Stopping:</strong> opioids taken for a long time should not be stopped suddenly; a clinician can plan
a gradual reduction. Ask whether you or your family should have naloxone, a medicine that can reverse an opioid
overdose.</li>
</ul>

<h2>Anticonvulsants (gabapentinoids)</h2>
<p><strong>Gabapentin</strong> and <strong>pregabalin</strong> were developed to treat epilepsy. They calm
overactive nerve signalling and are used for some kinds of nerve pain, such as pain after shingles and painful
diabetic neuropathy. They are started low and increased step by step.</p>
<ul>
<li><strong>Common side effects:</strong> dizziness, drowsiness, unsteadiness, blurred vision, weight gain and
swollen ankles.</li>
<li><strong>Serious risks:</strong> they can be misused, and some countries regulate them as controlled drugs.
In 2019 the FDA warned that they can cause serious breathing problems in people who also take opioids or other
sedating medicines, older adults and people with lung disease.</li>
<li><strong>Stopping:</strong> they should be reduced gradually with a clinician's help rather than stopped
suddenly.</li>
</ul>

<h2>Topical treatments</h2>
<p>Treatments applied to the skin act mainly where they are put, so less medicine reaches the rest of the body
and whole-body side effects are less likely.</p>
<ul>
<li><strong>Lidocaine plasters</strong>, a local anaesthetic, are used for localised nerve pain, particularly
pain that lingers after shingles.</li>
<li><strong>Capsaicin</strong>, made from chilli peppers, comes as a cream and as a high-strength patch applied
in clinic. It causes burning at first and can help some localised nerve pain.</li>
<li><strong>Topical NSAIDs</strong>, such as ibuprofen or diclofenac gel, can help pain from arthritis in the
knees and hands.</li>
</ul>
<p>Apply them only to unbroken skin and wash your hands afterwards, unless your hands are the area being
treated.</p>

<h2>Muscle relaxants</h2>
<p><strong>Cyclobenzaprine</strong> is used for short periods to ease painful muscle spasm after a strain or
injury; there is little evidence for long-term use. <strong>Baclofen</strong> is mainly used for spasticity
(stiff, tight muscles) caused by conditions such as multiple sclerosis or spinal cord injury, rather than as a
general painkiller.</p>
<ul>
<li><strong>Side effects:</strong> drowsiness, dizziness and weakness are common with both; cyclobenzaprine also
often causes a dry mouth.</li>
<li><strong>Cautions:</strong> both add to the effects of alcohol and other sedating medicines. Baclofen must not
be stopped suddenly, because withdrawal can be serious, and it needs extra care in people with kidney
problems.</li>
</ul>

<h2>Approaches beyond medicines</h2>
<p>For many kinds of long-term pain, the approaches with the best evidence are not medicines. They include:</p>
<ul>
<li><strong>staying active</strong>, with exercise built up gradually, often guided by a physiotherapist;</li>
<li><strong>psychological therapies</strong>, such as cognitive behavioural therapy (CBT) and acceptance and
commitment therapy (ACT), which help people live well with pain and reduce its impact;</li>
<li><strong>pain management programmes</strong> that combine exercise, education and psychological support;</li>
<li>attention to <strong>sleep</strong>, mood, work and social life, all of which affect how pain is felt;</li>
<li>for some people, <strong>acupuncture</strong> or other treatments that a clinician can advise on.</li>
</ul>

<h2>Reviewing your medicines with a clinician</h2>
<p>Pain medicines should be reviewed regularly, and especially when something changes. Useful questions to bring
to a review include:</p>
<ul>
<li>Is this medicine helping me do the things that matter to me, not just lowering a pain score?</li>
<li>Are the side effects worth the benefit? Could a lower dose, a different medicine or no medicine work as
well?</li>
<li>Am I taking more than one sedating medicine, or drinking alcohol, in a way that adds up?</li>
<li>How should this medicine be stopped or reduced, if that is the plan?</li>
</ul>
<p>Bring a list of everything you take, including medicines bought without a prescription and supplements.
Several pain medicines, including opioids, gabapentinoids, baclofen and antidepressants, should not be stopped
suddenly, so agree any change with your clinician or pharmacist.</p>
""")


MOTRIN_BODY = _html("""
<p>Motrin is a brand name for <strong>ibuprofen</strong>, one of the most widely used pain relievers. Ibuprofen
is sold without a prescription in lower strengths and on prescription in higher strengths, under several brand
names and as a generic.</p>

<h2>What it is</h2>
<p>Ibuprofen is a non-steroidal anti-inflammatory drug (NSAID). It reduces the body's production of
prostaglandins, chemicals that drive pain, fever and inflammation.</p>

<h2>What it is used for</h2>
<ul>
<li>everyday aches and pains, such as headache, toothache, back pain and muscle pain;</li>
<li>painful periods;</li>
<li>fever and the aches of colds and flu;</li>
<li>on prescription, the pain and stiffness of arthritis, including osteoarthritis and rheumatoid arthritis.</li>
</ul>

<h2>How to take it safely</h2>
<ul>
<li>Follow the directions on the package or your prescription label. Children's products are dosed differently
from adult products, so use the one meant for the person taking it.</li>
<li>Use the <strong>lowest dose that works for the shortest time</strong>. Do not use it for longer than the
package says without checking with a doctor or pharmacist.</li>
<li>Take it <strong>with food or milk</strong> if it upsets your stomach.</li>
<li>Do not take it with other NSAIDs, such as naproxen or aspirin taken for pain, and check the labels of cold
and flu remedies, which may already contain ibuprofen.</li>
<li>Drinking alcohol while taking ibuprofen increases the risk of stomach bleeding.</li>
</ul>

<h2>Side effects</h2>
<p>Common side effects include indigestion, heartburn, nausea, stomach pain and diarrhoea. Less common but
serious effects include bleeding from the stomach or gut, kidney problems, raised blood pressure, fluid retention,
allergic reactions and serious skin reactions.</p>
<p>Stop taking it and get medical help straight away if you have black or tarry stools, vomit blood or material
that looks like coffee grounds, have chest pain, shortness of breath, weakness on one side of the body or slurred
speech, or develop swelling of the face or throat, wheezing, or a rash with blisters.</p>

<h2>Who should be careful</h2>
<p>Check with a doctor or pharmacist before taking ibuprofen if you:</p>
<ul>
<li>have had a <strong>stomach ulcer</strong> or bleeding from the stomach or gut;</li>
<li>have <strong>kidney disease</strong> or liver disease;</li>
<li>have <strong>heart disease</strong>, heart failure, high blood pressure or have had a stroke, or are about to
have or have just had heart bypass surgery;</li>
<li>have asthma that has been made worse by aspirin or other NSAIDs;</li>
<li>are <strong>pregnant</strong>: the FDA advises avoiding NSAIDs from 20 weeks of pregnancy unless a doctor
advises otherwise, and they are generally avoided in later pregnancy; or are breastfeeding;</li>
<li>take a <strong>blood thinner</strong> (such as warfarin or apixaban), low-dose aspirin for your heart,
steroids, certain antidepressants, blood pressure medicines, lithium or methotrexate;</li>
<li>already take <strong>another NSAID</strong>;</li>
<li>are older, as side effects are more likely.</li>
</ul>

<h2>The FDA boxed warning</h2>
<p>Prescription NSAIDs, including prescription-strength ibuprofen, carry a boxed warning, the FDA's most
prominent type of warning, about two risks:</p>
<ul>
<li><strong>Heart and blood vessels:</strong> NSAIDs increase the risk of heart attack and stroke, which can be
fatal. The risk may start early in treatment and may rise with longer use. They must not be used for pain around
heart bypass surgery.</li>
<li><strong>Stomach and gut:</strong> NSAIDs can cause bleeding, ulcers and holes in the stomach or intestines,
which can happen without warning at any time. Older adults and people who have had ulcers or bleeding are at
greater risk.</li>
</ul>
<p>Non-prescription labels carry similar warnings. More general advice is in
<a href="/articles/taking-nsaids-safely/">Taking NSAIDs safely</a>.</p>
""")


NAPRELAN_BODY = _html("""
<p>Naprelan is a brand of <strong>naproxen sodium</strong> in <strong>controlled-release tablets</strong> that
are taken once a day. It is available on prescription in the United States.</p>

<h2>What it is</h2>
<p>Naproxen is a non-steroidal anti-inflammatory drug (NSAID), like ibuprofen. It reduces pain, inflammation and
fever by lowering the body's production of prostaglandins. Naprelan tablets are designed to release naproxen
gradually, so a single daily dose lasts through the day. Other naproxen products, some available without a
prescription, release the medicine more quickly and are taken more often.</p>

<h2>What it is used for</h2>
<p>Its approved uses include the pain and stiffness of rheumatoid arthritis, osteoarthritis and ankylosing
spondylitis, tendinitis and bursitis, gout attacks, painful periods and other mild to moderate pain.</p>

<h2>Taking it</h2>
<ul>
<li>Take it exactly as prescribed, usually once a day. Extended-release tablets are generally meant to be
swallowed whole; ask your pharmacist before splitting, crushing or chewing them.</li>
<li>Different naproxen products are not simply interchangeable, so do not switch between them without your
prescriber or pharmacist.</li>
<li>Use the lowest dose that works for the shortest time your condition allows, and take it with food if it
upsets your stomach.</li>
</ul>

<h2>Cautions</h2>
<p>Naproxen shares the risks of other NSAIDs, including the FDA boxed warning on <strong>heart attack and
stroke</strong> and on <strong>stomach and gut bleeding, ulcers and perforation</strong>. It can also affect
the kidneys and raise blood pressure. Extra care is needed for people who have had stomach ulcers, or who have
kidney, liver or heart disease, high blood pressure, asthma made worse by NSAIDs, or who are older. NSAIDs are
generally avoided from the middle of pregnancy onwards unless a doctor advises them.</p>

<h2>Do not combine with other NSAIDs</h2>
<p>Do not take Naprelan with other NSAIDs such as <strong>ibuprofen</strong> (for example
<a href="/articles/motrin-ibuprofen/">Motrin</a>), aspirin taken for pain, diclofenac or celecoxib, or with
other naproxen products, including those sold without a prescription. Doubling up increases side effects
without adding much relief. Check the labels of cold and flu remedies, and tell your pharmacist about blood
thinners, steroids, antidepressants, blood pressure medicines, lithium or methotrexate. See
<a href="/articles/taking-nsaids-safely/">Taking NSAIDs safely</a> for warning signs to watch for.</p>
""")


AZATHIOPRINE_TESTS_BODY = _html("""
<p>Regular blood tests are a normal part of taking azathioprine. They pick up problems early, often before you
notice anything, so that the dose can be adjusted or treatment paused in good time.</p>

<h2>Before you start</h2>
<ul>
<li><strong>TPMT</strong> and sometimes <strong>NUDT15</strong>: enzyme or gene tests that show how well your body
can process azathioprine. Low activity means a much higher risk of dangerously low blood counts, so the
specialist may choose a lower dose or another medicine.</li>
<li><strong>Full blood count</strong> (complete blood count), <strong>liver tests</strong> and
<strong>kidney tests</strong>, to have a starting point to compare with later.</li>
<li>Often, checks for past infections, such as hepatitis B and chickenpox, that could become a problem when the
immune system is suppressed.</li>
</ul>

<h2>During treatment</h2>
<p>The blood count looks at white cells (which fight infection), platelets (which help blood clot) and red cells.
Liver tests look for inflammation of the liver. Tests are frequent in the first months and after any dose change,
then spaced out once results are stable. Your team will set the schedule, which may be shared between your
specialist and your family doctor.</p>
<p>In inflammatory bowel disease, some specialists also measure <strong>thiopurine metabolite levels</strong> to
help explain why azathioprine is not working or is causing side effects.</p>

<h2>Symptoms to report between tests</h2>
<p>Blood tests do not replace watching for symptoms. Contact your team promptly if you have a fever, sore throat
or other signs of infection, unusual bruising or bleeding, yellowing of the skin or eyes, or severe stomach
pain.</p>

<h2>Practical tips</h2>
<ul>
<li>Keep a record of your results, or use a monitoring booklet or app if your service offers one.</li>
<li>Do not miss tests: some services cannot issue further prescriptions when monitoring is overdue.</li>
<li>If you are admitted to hospital or see a new doctor, tell them you take azathioprine and where your recent
results can be found.</li>
</ul>
<p>For an overview of the medicine itself, see
<a href="/articles/imuran-azathioprine/">Imuran (azathioprine)</a>.</p>
""")


KIDNEY_TRANSPLANT_BODY = _html("""
<p>After a kidney transplant, the immune system sees the new kidney as foreign and would attack it if left
unchecked. Anti-rejection medicines (immunosuppressants) prevent this. Taking them reliably is one of the most
important things a transplant recipient can do to protect the new kidney.</p>

<h2>Why the medicines are needed for life</h2>
<p>The risk of rejection is highest in the first months after surgery, and the medicines are usually strongest
then. The risk never disappears, however, so most people need some anti-rejection treatment for as long as the
transplant works. Missing doses, even occasionally, can allow rejection to start, often without symptoms at
first.</p>

<h2>The main groups of medicines</h2>
<p>Most people take a combination chosen by their transplant team. Common groups include:</p>
<ul>
<li><strong>calcineurin inhibitors</strong>, such as tacrolimus and ciclosporin, whose blood levels are checked
regularly;</li>
<li><strong>antiproliferative medicines</strong>, such as mycophenolate or <strong>azathioprine</strong>, which
stop immune cells multiplying. Azathioprine is used less often than mycophenolate today, but remains an option,
for example for people who cannot take mycophenolate or who are planning a pregnancy;</li>
<li><strong>steroids</strong>, such as prednisone or prednisolone;</li>
<li>in some cases, <strong>mTOR inhibitors</strong> such as sirolimus or everolimus.</li>
</ul>
<p>Antibody treatments may also be given around the time of the operation.</p>

<h2>Day-to-day living with the medicines</h2>
<ul>
<li>Take them at the same times each day, and use alarms or pill organisers if that helps.</li>
<li>Never stop or change a dose without talking to your transplant team.</li>
<li>Check with your team or pharmacist before starting any new medicine, herbal remedy or supplement. Some
common medicines, including <strong>NSAIDs</strong> such as ibuprofen and naproxen, can harm a transplanted
kidney, and others, such as St John's wort and grapefruit, can change the levels of some anti-rejection
medicines.</li>
<li>Keep every blood test appointment; tests check kidney function, medicine levels and blood counts.</li>
</ul>

<h2>Infections, vaccines and skin</h2>
<p>Because the immune system is suppressed, infections can be more frequent and more serious. Good hand and food
hygiene help, and non-live vaccines such as the flu vaccine are generally recommended; live vaccines are usually
avoided. Skin cancer is more common after a transplant, so sun protection and regular skin checks matter.</p>

<h2>Signs that need prompt attention</h2>
<p>Contact your transplant team straight away if you have a fever or feel unwell, pass much less urine, notice
swelling or sudden weight gain, have pain over the transplant, or cannot take your medicines because of vomiting
or diarrhoea.</p>
""")


RHEUMATOID_ARTHRITIS_BODY = _html("""
<p>Rheumatoid arthritis (RA) is an autoimmune condition in which the immune system attacks the lining of the
joints, causing pain, swelling and stiffness. Without effective treatment it can damage joints permanently.
Treatment is chosen by a rheumatology team together with the person who has RA and is adjusted over time.</p>

<h2>Why early treatment matters</h2>
<p>Joint damage can begin early in the disease. Starting medicines that control the immune response soon after
diagnosis gives the best chance of preventing damage and keeping people active. The aim is usually remission, or
the lowest disease activity that can be achieved.</p>

<h2>The main groups of medicines</h2>
<ul>
<li><strong>Conventional disease-modifying antirheumatic drugs (DMARDs)</strong>, such as methotrexate,
sulfasalazine, hydroxychloroquine and leflunomide, are usually the first step; methotrexate is the most common
first choice.</li>
<li><strong>Steroids</strong> may be used for a short time to calm a flare or to bridge the gap while a DMARD
starts working, but are not a good long-term solution.</li>
<li><strong>Biologic and targeted medicines</strong>, such as TNF inhibitors and JAK inhibitors, are options
when conventional DMARDs do not control the disease well enough.</li>
<li><strong>Azathioprine</strong> is approved for RA in the United States but is used less often now that other
options are available; specialists may still use it for some people.</li>
<li><strong>NSAIDs</strong>, such as ibuprofen and naproxen, ease pain and stiffness but do not change the course
of the disease or prevent joint damage, so they are used alongside, not instead of, DMARDs.</li>
</ul>

<h2>How the choice is made</h2>
<p>The rheumatology team considers how active the disease is, other health conditions (such as liver, lung or
kidney disease, infections or a history of cancer), plans for pregnancy, how the medicine is taken and what
monitoring it needs, and the person's own preferences. Progress is then checked regularly, and treatment is
stepped up or changed if the disease is not well controlled, an approach often called "treat to target".</p>

<h2>Monitoring and safety</h2>
<p>Many RA medicines need regular blood tests and increase the risk of infections. Non-live vaccines, such as
those for flu and pneumococcal infection, are generally recommended, and live vaccines may need to be avoided.
Long-term NSAID use needs the same care as for anyone else; see
<a href="/articles/taking-nsaids-safely/">Taking NSAIDs safely</a>.</p>

<h2>Beyond medicines</h2>
<p>Physiotherapy, occupational therapy, regular exercise, stopping smoking and looking after heart health are all
part of living well with RA.</p>
""")


NSAIDS_SAFETY_BODY = _html("""
<p>Non-steroidal anti-inflammatory drugs (NSAIDs) are among the most widely used medicines. They are effective for
many kinds of pain, but they are not risk-free, especially when taken regularly or by people with certain health
conditions.</p>

<h2>Know what counts as an NSAID</h2>
<p>Common NSAIDs include <strong>ibuprofen</strong> (for example Motrin and Advil), <strong>naproxen</strong>
(for example Aleve and Naprelan), diclofenac, celecoxib and aspirin taken for pain. Many cold, flu and period-pain
products also contain an NSAID. Gels and creams contain NSAIDs too, although much less reaches the blood.</p>

<h2>Everyday rules</h2>
<ul>
<li><strong>One NSAID at a time.</strong> Taking two NSAIDs together adds risk without adding much relief.</li>
<li><strong>Lowest dose, shortest time.</strong> Follow the label or prescription and do not exceed it.</li>
<li><strong>Take with food or milk</strong> if NSAIDs upset your stomach, and go easy on alcohol.</li>
<li><strong>Keep well hydrated</strong>, and ask for advice before taking NSAIDs if you are ill with vomiting or
diarrhoea, when the kidneys are more vulnerable.</li>
</ul>

<h2>Ask a doctor or pharmacist first if you</h2>
<ul>
<li>have had a stomach ulcer or bleeding from the gut;</li>
<li>have kidney, liver or heart disease, heart failure, high blood pressure, or have had a stroke;</li>
<li>have asthma that is made worse by aspirin or other NSAIDs;</li>
<li>are pregnant, trying to get pregnant or breastfeeding;</li>
<li>take blood thinners, low-dose aspirin, steroids, certain antidepressants, blood pressure medicines or
diuretics ("water tablets"), lithium or methotrexate;</li>
<li>have had an organ transplant, or are older.</li>
</ul>

<h2>Warning signs</h2>
<p>Stop the NSAID and get medical help urgently for black or tarry stools, vomiting blood, chest pain, shortness
of breath, weakness on one side of the body, slurred speech, a rash with blistering, or swelling of the face or
throat. Get advice soon about persistent indigestion or stomach pain, ankle swelling or passing much less
urine.</p>

<h2>If you need pain relief for longer</h2>
<p>If you find you need an NSAID most days, talk to a clinician. There may be safer options for you, such as a
topical NSAID, paracetamol (acetaminophen), a different approach to the underlying problem, or added protection
for your stomach. See <a href="/articles/medicines-for-chronic-pain/">Medicines for chronic pain</a>.</p>
""")


NERVE_PAIN_BODY = _html("""
<p>Nerve pain, also called neuropathic pain, happens when nerves themselves are damaged or not working properly.
It is often described as burning, shooting, stabbing or electric-shock-like, and may come with pins and needles,
numbness, or pain from a light touch that would not normally hurt.</p>

<h2>Common causes</h2>
<p>Nerve pain can follow diabetes, shingles, a trapped or compressed nerve (as in sciatica), injury or surgery,
some cancer treatments, multiple sclerosis or heavy alcohol use. Sometimes no cause is found.</p>

<h2>Treating the cause</h2>
<p>Where possible the underlying problem is treated too: for example, good blood sugar control and careful foot
care in diabetes, or relieving pressure on a nerve. This can prevent further damage, even if it does not remove
the pain already there.</p>

<h2>Medicines that can help</h2>
<p>Ordinary painkillers such as paracetamol and NSAIDs often do little for nerve pain. Medicines more often used
include:</p>
<ul>
<li><strong>amitriptyline</strong>, at low doses, or <strong>duloxetine</strong>, antidepressants that change
how pain signals are processed;</li>
<li><strong>gabapentin</strong> or <strong>pregabalin</strong>, which calm overactive nerves;</li>
<li>for pain in one area, <strong>capsaicin</strong> cream or patches, or <strong>lidocaine</strong> plasters,
particularly for pain that lingers after shingles;</li>
<li>for trigeminal neuralgia, a specific type of facial pain, carbamazepine is usually tried first.</li>
</ul>
<p>These medicines are usually started at a low dose and increased gradually. They often reduce pain rather than
remove it, and it can take several weeks to judge whether one is working. If the first choice does not help or
causes troublesome side effects, another can be tried. Drowsiness and dizziness are common, and gabapentin and
pregabalin carry extra risks when combined with opioids or other sedating medicines. More detail is in
<a href="/articles/medicines-for-chronic-pain/">Medicines for chronic pain</a>.</p>

<h2>Other approaches</h2>
<p>Physical activity, physiotherapy, psychological therapies and pain management programmes can all help people
cope with long-term nerve pain and improve day-to-day life.</p>

<h2>When to get help urgently</h2>
<p>Get urgent medical help for new weakness in the arms or legs, numbness around the genitals or buttocks, new
problems controlling your bladder or bowels, or, if you have diabetes, a foot wound that is not healing or looks
infected.</p>
""")


IBD_BODY = _html("""
<p>Inflammatory bowel disease (IBD) is the name for long-term conditions in which the gut becomes inflamed. The
two main types are <strong>Crohn's disease</strong>, which can affect any part of the gut, and
<strong>ulcerative colitis</strong>, which affects the large bowel. Treatment is led by a specialist team and
tailored to the type, location and severity of the disease.</p>

<h2>The aims of treatment</h2>
<p>Treatment aims to bring a flare under control (inducing remission), to keep the disease quiet (maintaining
remission), to let the gut lining heal and to avoid long-term steroid use and complications.</p>

<h2>The main groups of medicines</h2>
<ul>
<li><strong>Aminosalicylates</strong>, such as mesalazine (mesalamine), are mainly used in ulcerative colitis,
by mouth or as enemas or suppositories.</li>
<li><strong>Steroids</strong> calm flares quickly but are not suitable for long-term use because of their side
effects.</li>
<li><strong>Immunomodulators</strong>, such as <strong>azathioprine</strong>, mercaptopurine and methotrexate,
help keep the disease in remission and reduce reliance on steroids. They take weeks to months to work and need
regular <a href="/articles/azathioprine-blood-tests/">blood tests</a>. Azathioprine is used off-label for IBD in
the United States.</li>
<li><strong>Biologic and small-molecule medicines</strong>, such as TNF inhibitors and other antibody treatments,
and tablets such as JAK inhibitors, are used for moderate to severe disease. An immunomodulator is sometimes
combined with a biologic.</li>
</ul>
<p>Some people also need surgery, which can be the right choice at certain points and is not a sign that
treatment has failed.</p>

<h2>Safety points</h2>
<ul>
<li>Medicines that suppress the immune system raise the risk of infections, and thiopurines such as azathioprine
raise the risk of some cancers, including lymphoma and skin cancer; your team will explain how these risks
compare with the risks of uncontrolled IBD.</li>
<li>Non-live vaccines are generally recommended; ask before having any live vaccine.</li>
<li>NSAIDs may trigger flares in some people with IBD; ask before using them for pain.</li>
<li>Smoking makes Crohn's disease worse, and stopping helps.</li>
</ul>
<p>For more about azathioprine itself, see <a href="/articles/imuran-azathioprine/">Imuran (azathioprine)</a>.</p>
""")


# Questions readers ask, answered plainly and conservatively: no doses, no figures; the clinician decides.
IMURAN_FAQ = [
    (
        "How long does azathioprine take to work?",
        "<p>It works slowly. For autoimmune conditions it often takes several weeks to a few months before you "
        "notice a difference, so keep taking it as prescribed and ask your doctor before stopping.</p>",
    ),
    (
        "Why do I need regular blood tests?",
        "<p>Azathioprine can lower the number of blood cells your body makes and can affect the liver. Blood tests "
        "let your care team spot this early, often before you feel any different, and change the dose if "
        "needed.</p>",
    ),
    (
        "Can I have vaccines while taking it?",
        "<p>Most vaccines that do not contain a live germ, such as the flu jab, are fine and often recommended. "
        "<strong>Live vaccines</strong> may not be safe. Tell whoever gives the vaccine that you take "
        "azathioprine.</p>",
    ),
]
MOTRIN_FAQ = [
    (
        "Should I take ibuprofen with food?",
        "<p>Yes, taking it with or just after food or milk can help protect your stomach.</p>",
    ),
    (
        "Can I take ibuprofen with paracetamol?",
        "<p>For most adults the two can be taken together or in turn, because they work in different ways. Keep to "
        "the dose on each pack, and ask a pharmacist if you take other medicines or have a long-term "
        "condition.</p>",
    ),
]

# Brand names readers search for, kept as other names of the generic's tag: the brand's tag page lists every
# article carrying either name, and "See also" counts the two as one tag.
TAG_ALIASES = [("Imuran", "Azathioprine")]

ARTICLES = [
    {
        "title": "Imuran (azathioprine): uses, pharmacokinetics, side effects and precautions",
        "slug": "imuran-azathioprine",
        "category": "pain-relief",
        "tags": ["Imuran", "Azathioprine", "Immunosuppressants", "Rheumatoid arthritis", "Organ transplant"],
        "summary": (
            "Azathioprine (Imuran) is an immunosuppressant used after kidney transplants and for some autoimmune "
            "diseases. How it works and is processed, its side effects, and the precautions it needs."
        ),
        "body": IMURAN_BODY,
        "drugs": ["azathioprine"],
        "published_at": _published(10, 5),
        "references": [
            REF_DAILYMED_AZATHIOPRINE,
            REF_MEDLINEPLUS_AZATHIOPRINE,
            REF_NHS_AZATHIOPRINE,
            REF_CPIC_THIOPURINES,
        ],
        "pinned": ["motrin-ibuprofen", "naprelan-naproxen"],
        "faq": IMURAN_FAQ,
        # The public change log: (date, summary, is a correction).
        "change_notes": [
            (
                date(2026, 10, 20),
                "Added NUDT15 beside TPMT as an enzyme that may be tested before treatment starts.",
                False,
            ),
            (
                date(2026, 11, 12),
                "Yellow fever vaccine is a live vaccine and should be avoided while taking azathioprine; an earlier "
                "version wrongly grouped it with the non-live vaccines that are generally recommended.",
                True,
            ),
        ],
    },
    {
        "title": "Medicines for chronic pain: how the main groups work",
        "slug": "medicines-for-chronic-pain",
        "category": "pain-relief",
        "tags": ["Chronic pain", "Nerve pain", "NSAIDs", "Opioids", "Amitriptyline", "Gabapentin"],
        "summary": (
            "A guide to the main groups of medicines used for long-term pain, from low-dose antidepressants to "
            "opioids, with their benefits, risks and the non-drug approaches that matter just as much."
        ),
        "body": CHRONIC_PAIN_BODY,
        "drugs": [
            "amitriptyline",
            "ibuprofen",
            "naproxen",
            "morphine",
            "gabapentin",
            "pregabalin",
            "lidocaine",
            "cyclobenzaprine",
            "baclofen",
        ],
        "published_at": _published(10, 12),
        "references": [REF_CDC_OPIOIDS_2022, REF_NICE_NG193, REF_FDA_GABAPENTINOIDS_2019, REF_NICE_CG173],
        "pinned": ["nerve-pain-what-helps", "taking-nsaids-safely"],
    },
    {
        "title": "Motrin (ibuprofen): uses, safe use and warnings",
        "slug": "motrin-ibuprofen",
        "category": "pain-relief",
        "tags": ["Motrin", "Ibuprofen", "NSAIDs", "Pain relief"],
        "summary": (
            "Motrin is a brand of ibuprofen, an NSAID for pain, fever and inflammation. What it treats, how to take "
            "it safely, its side effects and who should check with a clinician first."
        ),
        "body": MOTRIN_BODY,
        "faq": MOTRIN_FAQ,
        "drugs": ["ibuprofen"],
        "published_at": _published(10, 19),
        "references": [
            {
                "title": "Motrin (ibuprofen) labels (search results)",
                "publisher": "DailyMed, U.S. National Library of Medicine",
                "year": None,
                "url": "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=MOTRIN",
            },
            REF_MEDLINEPLUS_IBUPROFEN,
            REF_NHS_IBUPROFEN,
            REF_FDA_NSAID_2015,
        ],
        "pinned": ["taking-nsaids-safely", "naprelan-naproxen"],
    },
    {
        "title": "Naprelan (naproxen sodium controlled-release): what to know",
        "slug": "naprelan-naproxen",
        "category": "pain-relief",
        "tags": ["Naprelan", "Naproxen", "NSAIDs", "Pain relief"],
        "summary": (
            "Naprelan is a once-daily, controlled-release form of naproxen sodium, an NSAID. What it is used for, "
            "how it differs from other naproxen products and why it should not be combined with other NSAIDs."
        ),
        "body": NAPRELAN_BODY,
        "drugs": ["naproxen"],
        "published_at": _published(10, 26),
        "references": [
            {
                "title": "Naprelan (naproxen sodium) prescribing information (search results)",
                "publisher": "DailyMed, U.S. National Library of Medicine",
                "year": None,
                "url": "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=NAPRELAN",
            },
            REF_MEDLINEPLUS_NAPROXEN,
            REF_NHS_NAPROXEN,
            REF_FDA_NSAID_PREGNANCY_2020,
        ],
        "pinned": ["taking-nsaids-safely", "motrin-ibuprofen"],
    },
    {
        "title": "Blood and liver tests while taking azathioprine",
        "slug": "azathioprine-blood-tests",
        "category": "immunology",
        "tags": ["Azathioprine", "Immunosuppressants", "Blood tests", "Medicine safety"],
        "summary": (
            "Why azathioprine needs regular blood tests, what is checked before and during treatment, and which "
            "symptoms to report between tests."
        ),
        "body": AZATHIOPRINE_TESTS_BODY,
        "drugs": ["azathioprine"],
        "published_at": _published(11, 2),
        "references": [REF_CPIC_THIOPURINES, REF_NHS_AZATHIOPRINE, REF_DAILYMED_AZATHIOPRINE],
        "pinned": ["imuran-azathioprine"],
        "change_notes": [
            (
                date(2026, 11, 20),
                "Added the checks for past hepatitis B and chickenpox infections that are often done before starting.",
                False,
            ),
        ],
    },
    {
        "title": "Living with a kidney transplant: medicines that prevent rejection",
        "slug": "kidney-transplant-medicines",
        "category": "transplant-medicine",
        "tags": ["Organ transplant", "Kidney transplant", "Immunosuppressants", "Azathioprine"],
        "summary": (
            "Why anti-rejection medicines are needed for as long as a transplanted kidney works, the main groups "
            "used, and everyday tips on interactions, infections and warning signs."
        ),
        "body": KIDNEY_TRANSPLANT_BODY,
        "drugs": ["azathioprine"],
        "published_at": _published(11, 6),
        "references": [
            {
                "title": "Kidney transplantation",
                "publisher": "MedlinePlus, U.S. National Library of Medicine",
                "year": None,
                "url": "https://medlineplus.gov/kidneytransplantation.html",
            },
            {
                "title": "Kidney transplant",
                "publisher": "NHS",
                "year": None,
                "url": "https://www.nhs.uk/conditions/kidney-transplant/",
            },
            REF_DAILYMED_AZATHIOPRINE,
        ],
        "pinned": ["imuran-azathioprine", "azathioprine-blood-tests"],
    },
    {
        "title": "Rheumatoid arthritis: how treatment is chosen",
        "slug": "rheumatoid-arthritis-treatment",
        "category": "rheumatology",
        "tags": ["Rheumatoid arthritis", "DMARDs", "Immunosuppressants", "NSAIDs"],
        "summary": (
            "How rheumatology teams choose treatment for rheumatoid arthritis, from first-line DMARDs to biologic "
            "medicines, and where NSAIDs and azathioprine fit."
        ),
        "body": RHEUMATOID_ARTHRITIS_BODY,
        "drugs": ["azathioprine", "ibuprofen", "naproxen"],
        "published_at": _published(11, 10),
        "references": [
            {
                "title": "Rheumatoid arthritis in adults: management (NG100)",
                "publisher": "National Institute for Health and Care Excellence",
                "year": None,
                "url": "https://www.nice.org.uk/guidance/ng100",
            },
            {
                "title": "Rheumatoid arthritis",
                "publisher": "National Institute of Arthritis and Musculoskeletal and Skin Diseases",
                "year": None,
                "url": "https://www.niams.nih.gov/health-topics/rheumatoid-arthritis",
            },
            REF_DAILYMED_AZATHIOPRINE,
        ],
        "pinned": ["imuran-azathioprine"],
    },
    {
        "title": "Taking NSAIDs safely",
        "slug": "taking-nsaids-safely",
        "category": "medicines-and-safety",
        "tags": ["NSAIDs", "Ibuprofen", "Naproxen", "Pain relief", "Medicine safety"],
        "summary": (
            "Practical rules for using ibuprofen, naproxen and other NSAIDs: one at a time, lowest dose for the "
            "shortest time, who should ask first and the warning signs that need urgent help."
        ),
        "body": NSAIDS_SAFETY_BODY,
        "drugs": ["ibuprofen", "naproxen"],
        "published_at": _published(11, 14),
        "references": [REF_FDA_NSAID_2015, REF_FDA_NSAID_PREGNANCY_2020, REF_MEDLINEPLUS_IBUPROFEN],
        "pinned": ["motrin-ibuprofen", "naprelan-naproxen"],
    },
    {
        "title": "Nerve pain: what helps",
        "slug": "nerve-pain-what-helps",
        "category": "pain-relief",
        "tags": ["Nerve pain", "Chronic pain", "Gabapentin", "Amitriptyline", "Pain relief"],
        "summary": (
            "What nerve (neuropathic) pain is, why ordinary painkillers often fail, which medicines and other "
            "approaches can help, and when to seek urgent care."
        ),
        "body": NERVE_PAIN_BODY,
        "drugs": ["amitriptyline", "gabapentin", "pregabalin", "lidocaine"],
        "published_at": _published(11, 18),
        "references": [REF_NICE_CG173, REF_FDA_GABAPENTINOIDS_2019, REF_NICE_NG193],
        "pinned": ["medicines-for-chronic-pain"],
    },
    {
        "title": "Inflammatory bowel disease medicines in brief",
        "slug": "ibd-medicines-in-brief",
        "category": "digestive-health",
        "tags": [
            "Inflammatory bowel disease",
            "Crohn's disease",
            "Ulcerative colitis",
            "Azathioprine",
            "Immunosuppressants",
        ],
        "summary": (
            "An overview of the medicines used for Crohn's disease and ulcerative colitis, what each group is for, "
            "and the safety points to know."
        ),
        "body": IBD_BODY,
        "drugs": ["azathioprine"],
        "published_at": _published(11, 23),
        "references": [
            {
                "title": "Crohn's disease",
                "publisher": "MedlinePlus, U.S. National Library of Medicine",
                "year": None,
                "url": "https://medlineplus.gov/crohnsdisease.html",
            },
            {
                "title": "Ulcerative colitis",
                "publisher": "MedlinePlus, U.S. National Library of Medicine",
                "year": None,
                "url": "https://medlineplus.gov/ulcerativecolitis.html",
            },
            REF_NHS_AZATHIOPRINE,
        ],
        "pinned": ["imuran-azathioprine", "azathioprine-blood-tests"],
    },
]
