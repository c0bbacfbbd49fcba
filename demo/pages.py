"""Demo site pages for ``load_demo``: who publishes medsite, how pages are written and checked, and what it stores.

Written for this site in its own words. They describe what this software
does (the workflow in ``workflow/``, the data it keeps); they name no people,
claim no accreditation and give no figures. Two public standards are cited
by name and link only: the NHS Standard for Creating Health Content and the
Patient Information Forum.
"""

from datetime import UTC, datetime

PUBLISHED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NHS_STANDARD = "https://service-manual.nhs.uk/content/standard-for-creating-health-content"
PIF = "https://pifonline.org.uk/"


def _html(text: str) -> str:
    return " ".join(text.split())


# In parent-first order: a page's parent is loaded before it.
PAGES = [
    {
        "segment": "about",
        "parent": None,
        "title": "About medsite",
        "nav_label": "About us",
        "summary": "Who publishes medsite, what it covers and what it is not.",
        "show_in_header": True,
        "show_in_footer": True,
        "nav_order": 1,
        "body": _html("""
            <p>medsite publishes general information about medicines and health conditions: articles, drug pages
            with uses, side effects, precautions and interactions, and indexes of drug classes and conditions.</p>
            <h2>Who it is for</h2>
            <p>It is written for people who want to understand a medicine they have been prescribed or bought,
            and for the people who care for them. It explains; it does not diagnose, prescribe or replace a
            conversation with a doctor, pharmacist or nurse who knows your situation.</p>
            <h2>How the content is made</h2>
            <p>Every article and drug page is written by a named author, checked by a medical reviewer who did not
            write it, and only then published. Each page shows who reviewed it, when, and when its next review
            is due. Our <a href="/about/editorial-policy/">editorial policy</a> and the page on
            <a href="/about/medical-review/">how we review</a> explain the rules in full, and
            <a href="/about/corrections/">corrections</a> explains what happens when we get something wrong.</p>
            <h2>About this copy of the site</h2>
            <p>This copy of medsite runs with demonstration content. The accounts named as author and reviewer are
            demo accounts, and the reviewer is not a clinician: treat every page here as an example of the
            format, not as checked medical advice.</p>
            <h2>Money</h2>
            <p>medsite carries no advertising and no sponsored content, and no manufacturer pays for or approves
            what it says about a medicine.</p>
        """),
    },
    {
        "segment": "editorial-policy",
        "parent": "about",
        "title": "Editorial policy",
        "nav_label": "",
        "summary": "The rules every article and drug page follows, from the first draft to its next review.",
        "show_in_footer": True,
        "nav_order": 2,
        "body": _html(f"""
            <p>These are the rules every article and drug page on medsite follows.</p>
            <h2>What we write</h2>
            <ul>
              <li>General information that helps readers understand a medicine or condition and talk to their
              own clinician about it.</li>
              <li>Plain language first, with medical terms explained when they are needed.</li>
              <li>No doses. Doses depend on the person and the product, so we send readers to their prescriber,
              their pharmacist and the product label.</li>
              <li>No promotion: we do not favour one brand over another, and nothing on the site is paid for by
              the makers of a medicine.</li>
            </ul>
            <h2>Evidence</h2>
            <p>Clinical statements are based on public, authoritative sources such as product labels from
            medicines regulators, national clinical guidelines and the public health pages of national health
            services. Pages list their references so readers can check them. Where the evidence is uncertain,
            the page says so.</p>
            <h2>From draft to published</h2>
            <ol>
              <li>An author writes a draft and submits it for review.</li>
              <li>A medical reviewer who is not the author checks it and signs it off, or sends it back.</li>
              <li>A publisher publishes it. The site refuses to publish a page that no reviewer has signed off.</li>
            </ol>
            <p>Every step is recorded: who moved the page, when, and any note they left.</p>
            <h2>Keeping pages current</h2>
            <p>Each reviewed page shows when it was last reviewed and when its next review is due. Editors see a
            queue of pages that are overdue or due soon. A change to the clinical text of a published page does
            not go live until a medical reviewer has signed off the new text; until then readers see the version
            that was reviewed.</p>
            <h2>Standards we follow</h2>
            <p>Our process is modelled on public guidance for health information, in particular the
            <a href="{NHS_STANDARD}">NHS Standard for Creating Health Content</a> and the principles promoted by
            the <a href="{PIF}">Patient Information Forum</a>. We name them as references for how good health
            information is made; medsite is not certified or endorsed by either.</p>
        """),
    },
    {
        "segment": "medical-review",
        "parent": "about",
        "title": "How we review",
        "nav_label": "",
        "summary": "What a medical review on medsite checks, who does it and how often it is repeated.",
        "show_in_footer": True,
        "nav_order": 3,
        "body": _html(f"""
            <p>Every article and drug page is medically reviewed before readers can see it.</p>
            <h2>Who reviews</h2>
            <p>Reviews are done by people with the medical reviewer role, whose professional credentials are
            recorded and printed beside their name on the pages they review. A reviewer never signs off their own
            writing: the site refuses it.</p>
            <h2>What a review checks</h2>
            <ul>
              <li>That each clinical statement agrees with the sources the page cites, and that those sources are
              current.</li>
              <li>That side effects, precautions and interactions are described accurately and in proportion.</li>
              <li>That the page tells readers when to get medical help, and does not tell them to start, stop or
              change a treatment on their own.</li>
              <li>That the words are clear to someone without medical training.</li>
            </ul>
            <h2>How often</h2>
            <p>A review sets the date of the next one, normally three years later, and sooner when a medicine's
            label or the guidance changes. Pages whose review is overdue are flagged to editors until they are
            reviewed again.</p>
            <h2>Changes after publication</h2>
            <p>When someone edits the clinical text of a published page, the edit waits as a pending change. It
            goes live only after a reviewer other than its writer has signed it off, so the "Medically reviewed"
            line on a page always belongs to the text you are reading. Changes that touch no clinical text, such
            as a corrected link, may be published without a new review, and the page's log records which kind of
            change it was.</p>
            <h2>Further reading</h2>
            <p>The <a href="{NHS_STANDARD}">NHS Standard for Creating Health Content</a> describes a similar
            cycle of clinical assurance and review, and the <a href="{PIF}">Patient Information Forum</a>
            publishes guidance on producing trustworthy health information.</p>
        """),
    },
    {
        "segment": "corrections",
        "parent": "about",
        "title": "Corrections",
        "nav_label": "",
        "summary": "What we do when a page on medsite turns out to be wrong.",
        "show_in_footer": True,
        "nav_order": 4,
        "body": _html("""
            <p>We want every page to be accurate. When one is not, we fix it openly.</p>
            <h2>How a correction is made</h2>
            <ul>
              <li>A correction to clinical text goes through the same medical review as the original page before
              it is published.</li>
              <li>A page that could mislead readers while it is being corrected is taken down. Its address then
              says that the page has been removed rather than showing outdated advice.</li>
              <li>Every saved version of a page is kept, so we can see what changed, when and who made the
              change.</li>
            </ul>
            <h2>Telling us about a mistake</h2>
            <p>This demonstration copy of medsite has no contact form. A publisher running medsite adds its contact
            address here, and says how quickly it answers reports of errors.</p>
            <p>If something you read worries you about your own treatment, do not wait for a correction: speak to
            your doctor or pharmacist.</p>
        """),
    },
    {
        "segment": "disclaimer",
        "parent": None,
        "title": "Disclaimer",
        "nav_label": "",
        "summary": "medsite gives general information, not medical advice for you.",
        "show_in_footer": True,
        "nav_order": 5,
        "body": _html("""
            <p>The information on medsite is general. It is not medical advice, and it is not a substitute for
            advice from a doctor, pharmacist, nurse or other health professional who knows you.</p>
            <ul>
              <li>Do not start, stop or change a medicine because of something you read here. Ask the person who
              prescribed it, or a pharmacist.</li>
              <li>Information about side effects and interactions cannot list every possibility. Read the leaflet
              that comes with your medicine.</li>
              <li>If you think you are having a serious reaction or need urgent help, call your local emergency
              number.</li>
            </ul>
            <p>Medicines, their labels and the guidance about them change. Each page shows when it was last
            reviewed; something may have changed since.</p>
            <p>Links to other websites are given as sources or for further reading. We are not responsible for
            their content.</p>
        """),
    },
    {
        "segment": "privacy",
        "parent": None,
        "title": "Privacy",
        "nav_label": "",
        "summary": "What medsite stores about readers and editors, and what it does not.",
        "show_in_footer": True,
        "nav_order": 6,
        "body": _html("""
            <h2>Readers</h2>
            <ul>
              <li>You do not need an account to read medsite, and there are no reader accounts.</li>
              <li>Reading the site sets no cookies in your browser: no tracking cookies, no advertising cookies and
              no analytics.</li>
              <li>Pages load no scripts or trackers from other companies.</li>
              <li>medsite does not save what you type into the search box or the interaction checker. Like any
              address you visit, a search is part of the page's address, so it can appear in the web server's
              access logs described below.</li>
            </ul>
            <h2>Technical records</h2>
            <p>To keep the service working and protect it from abuse, the servers that run it may keep short-lived
            technical records. The read API counts requests from each network address for a short time to limit
            abuse. The web server in front of the site may keep access logs (such as the address requested, the
            time and the network address it came from), depending on how the publisher running medsite sets it
            up.</p>
            <h2>Editors</h2>
            <p>People who write, review and publish pages have staff accounts. For them the site stores their name,
            username, password (as a secure hash), role, and any professional credentials they record; a session
            cookie while they are signed in; the changes they make to pages, with the time; and sign-in attempts,
            including the network address and browser, so that repeated failed sign-ins can be paused.</p>
            <h2>Questions</h2>
            <p>The publisher running medsite is responsible for the data it holds and names its contact for privacy
            questions here.</p>
        """),
    },
]


def load(*, author, reviewer) -> int:
    """Create or update the demo pages, written by ``author`` and signed off by ``reviewer``; returns how many."""
    from pages.models import Page
    from publishing.html import sanitize_html
    from publishing.models import Status
    from workflow.services import add_months, review_interval_months

    reviewed_on = PUBLISHED_AT.date()
    by_segment: dict[str, Page] = {}
    for position, data in enumerate(PAGES):
        parent = by_segment.get(data["parent"]) if data["parent"] else None
        address = f"{parent.slug}/{data['segment']}" if parent else data["segment"]
        page = Page.objects.filter(slug=address).first() or Page(segment=data["segment"])
        wanted = {
            "title": data["title"],
            "segment": data["segment"],
            "parent": parent,
            "position": position,
            "summary": data["summary"],
            "body": sanitize_html(data["body"]),
            "show_in_header": data.get("show_in_header", False),
            "show_in_footer": data.get("show_in_footer", False),
            "nav_label": data["nav_label"],
            "nav_order": data["nav_order"],
            "author": author,
            "status": Status.PUBLISHED,
            "published_at": PUBLISHED_AT,
            "reviewed_by": reviewer,
            "last_reviewed": reviewed_on,
            "next_review_due": add_months(reviewed_on, review_interval_months()),
        }
        changed = page.pk is None
        for field, value in wanted.items():
            if changed or getattr(page, field) != value:
                setattr(page, field, value)
                changed = True
        if changed:
            page.full_clean()
            page.save()
        by_segment[data["segment"]] = page
    return len(PAGES)
