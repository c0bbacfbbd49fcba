"""The demo's images, drawn here with Pillow: simple labelled illustrations, nothing copied from elsewhere.

Each drawing is deterministic, so loading the demo again finds the same file
(by its content hash) instead of adding a copy.
"""

from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont

CREDIT = "Illustration: medsite"
WIDTH, HEIGHT = 1600, 900
INK = (28, 43, 61)
PAPER = (247, 249, 251)
ACCENT = (31, 111, 178)
SOFT = (214, 230, 243)
WARM = (232, 129, 72)


def font(size: int):
    # Pillow's own font (no system fonts needed); a bitmap font where Pillow was built without FreeType.
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):
        return ImageFont.load_default()


def canvas(background=PAPER):
    picture = PillowImage.new("RGB", (WIDTH, HEIGHT), background)
    return picture, ImageDraw.Draw(picture)


def centred(draw, xy, text, size, fill=INK):
    draw.text(xy, text, font=font(size), fill=fill, anchor="mm")


def pill_box(name: str, note: str, colour=ACCENT) -> PillowImage.Image:
    """A medicine box with the generic name on its front and a blister strip beside it."""
    picture, draw = canvas()
    draw.rounded_rectangle((180, 200, 980, 700), radius=28, fill="white", outline=INK, width=6)
    draw.polygon([(180, 200), (300, 110), (1100, 110), (980, 200)], fill=SOFT, outline=INK)
    draw.polygon([(980, 200), (1100, 110), (1100, 610), (980, 700)], fill=(190, 210, 228), outline=INK)
    draw.rectangle((180, 260, 980, 330), fill=colour)
    centred(draw, (580, 295), "medsite pharmacy demo", 34, fill="white")
    centred(draw, (580, 440), name, 96)
    centred(draw, (580, 560), note, 40, fill=(79, 91, 107))
    # Blister strip
    draw.rounded_rectangle((1180, 300, 1480, 760), radius=24, fill=(225, 230, 236), outline=INK, width=4)
    for row in range(4):
        for column in range(2):
            x, y = 1250 + column * 140, 370 + row * 105
            draw.ellipse((x - 40, y - 32, x + 40, y + 32), fill="white", outline=colour, width=6)
    centred(draw, (WIDTH // 2, 830), "Illustration, not a real product", 32, fill=(79, 91, 107))
    return picture


def labelled_diagram(title: str, parts: list[tuple[str, str]]) -> PillowImage.Image:
    """A row of labelled boxes joined by arrows: how a medicine moves, or what a test checks."""
    picture, draw = canvas()
    centred(draw, (WIDTH // 2, 110), title, 64)
    count = len(parts)
    gap = WIDTH // count
    for index, (label, note) in enumerate(parts):
        x = gap // 2 + index * gap
        draw.rounded_rectangle((x - 150, 300, x + 150, 560), radius=30, fill=SOFT, outline=ACCENT, width=6)
        centred(draw, (x, 400), label, 48)
        centred(draw, (x, 480), note, 30, fill=(79, 91, 107))
        if index < count - 1:
            start, end = x + 160, x + gap - 160
            draw.line((start, 430, end - 20, 430), fill=WARM, width=10)
            draw.polygon([(end, 430), (end - 34, 410), (end - 34, 450)], fill=WARM)
    centred(draw, (WIDTH // 2, 760), "Simplified diagram for the medsite demo", 34, fill=(79, 91, 107))
    return picture


def as_upload(picture: PillowImage.Image, name: str, image_format: str) -> SimpleUploadedFile:
    out = BytesIO()
    options = {"quality": 88} if image_format == "JPEG" else {"optimize": True}
    picture.save(out, image_format, **options)
    return SimpleUploadedFile(name, out.getvalue())


@dataclass(frozen=True)
class Illustration:
    key: str
    title: str
    alt_text: str
    caption: str
    draw: object
    image_format: str = "PNG"
    featured_on: tuple[str, ...] = field(default_factory=tuple)  # article slugs, or "drug:<generic name>"
    in_body_of: tuple[str, ...] = field(default_factory=tuple)  # article slugs

    def upload(self) -> SimpleUploadedFile:
        extension = "jpg" if self.image_format == "JPEG" else "png"
        return as_upload(self.draw(), f"{self.key}.{extension}", self.image_format)


ILLUSTRATIONS = [
    Illustration(
        key="azathioprine-box",
        title="Azathioprine tablets (pill box illustration)",
        alt_text="Drawing of a medicine box labelled azathioprine 50 mg tablets, beside a blister strip",
        caption="Azathioprine is taken as tablets, usually once or twice a day.",
        draw=lambda: pill_box("azathioprine", "50 mg tablets"),
        featured_on=("imuran-azathioprine", "drug:azathioprine"),
    ),
    Illustration(
        key="ibuprofen-box",
        title="Ibuprofen tablets (pill box illustration)",
        alt_text="Drawing of a medicine box labelled ibuprofen 200 mg tablets, beside a blister strip",
        caption="Ibuprofen is sold over the counter in low strengths.",
        draw=lambda: pill_box("ibuprofen", "200 mg tablets", colour=WARM),
        image_format="JPEG",
        featured_on=("motrin-ibuprofen", "drug:ibuprofen"),
    ),
    Illustration(
        key="naproxen-box",
        title="Naproxen tablets (pill box illustration)",
        alt_text="Drawing of a medicine box labelled naproxen 250 mg tablets, beside a blister strip",
        caption="Naproxen is an NSAID taken with food.",
        draw=lambda: pill_box("naproxen", "250 mg tablets", colour=(46, 139, 87)),
        featured_on=("naprelan-naproxen", "drug:naproxen"),
    ),
    Illustration(
        key="azathioprine-blood-tests",
        title="Blood tests while taking azathioprine (diagram)",
        alt_text="Diagram: a blood sample is checked for blood counts and liver function, then the dose is reviewed",
        caption="Regular blood tests check the blood count and the liver while the dose is settled.",
        draw=lambda: labelled_diagram(
            "Blood tests on azathioprine",
            [
                ("Sample", "a small blood test"),
                ("Blood count", "white cells"),
                ("Liver", "liver tests"),
                ("Review", "dose kept or changed"),
            ],
        ),  # fmt: skip
        featured_on=("azathioprine-blood-tests",),
        in_body_of=("imuran-azathioprine",),
    ),
    Illustration(
        key="nsaid-path",
        title="How an NSAID works (diagram)",
        alt_text="Diagram: an NSAID tablet is absorbed, blocks the COX enzymes, and so less prostaglandin "
        "causes pain and swelling",
        caption="NSAIDs such as ibuprofen and naproxen block the COX enzymes that make prostaglandins.",
        draw=lambda: labelled_diagram(
            "How NSAIDs ease pain",
            [
                ("Tablet", "swallowed"),
                ("Absorbed", "into the blood"),
                ("COX blocked", "enzyme"),
                ("Less pain", "less swelling"),
            ],
        ),  # fmt: skip
        image_format="JPEG",
        featured_on=("taking-nsaids-safely",),
        in_body_of=("motrin-ibuprofen", "naprelan-naproxen", "taking-nsaids-safely"),
    ),
]
