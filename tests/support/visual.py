"""Visual check of journey steps: the viewport's screenshot against a committed, reviewed reference image.

- References: tests/visual/<journey>/<NN-step>.png, stored at half size with a 64-colour palette (a few dozen
  kB each). A step without a reference, or whose page changed, fails the test.
- Renewing on purpose, all at once (e.g. after merging a change of the pages): `make visual-update`
  (= `VISUAL_UPDATE=1` for the browser tests): references are rewritten instead of compared; review them with
  `git diff --stat tests/visual` and an image viewer before committing.
- Tolerance: the current screenshot goes through the same reduction as the reference; a pixel differs when a
  channel differs by more than PIXEL_THRESHOLD; the step fails when more than MAX_RATIO of the pixels differ
  (anti-aliasing and palette noise stay far below it; an unstyled page or a moved block far above).
- Dynamic content is frozen before the screenshot and restored after it: every digit becomes 0, French month and
  day names become fixed words (dates, numbers, references and counts no longer vary from one run to the next),
  and the values of form fields holding digits are made transparent.
- On failure: test-artefacts/visual/<journey>/<NN-step>-diff.png = reference | current | differing pixels in red.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]
REFERENCES = ROOT / "tests" / "visual"
DIFFS = ROOT / "test-artefacts" / "visual"
PIXEL_THRESHOLD = 48  # per channel, 0-255
MAX_RATIO = 0.01  # share of differing pixels
COLOURS = 64

FREEZE = r"""() => {
  const MONTHS = /(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)/gi;
  const DAYS = /(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)/gi;
  const DAY_OF_MONTH = new RegExp('(?<!\\d)(\\d)(?=\\s' + MONTHS.source + ')', 'gi');  // « 1 » of « 1 décembre »
  const saved = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    // « 1 décembre » is one digit narrower than « 30 novembre »: days of the month are padded to two digits
    // first, so the pages of the 1st to the 9th look like the references (made on any day).
    const padded = n.nodeValue.replace(DAY_OF_MONTH, '0$1');
    const frozen = padded.replace(/\d/g, '0').replace(MONTHS, 'mois').replace(DAYS, 'jour');
    if (frozen !== n.nodeValue) { saved.push([n, n.nodeValue, null]); n.nodeValue = frozen; }
  }
  for (const el of document.querySelectorAll('input, textarea')) {
    if (/\d/.test(el.value)) { saved.push([el, el.style.color, 'color']); el.style.color = 'transparent'; }
  }
  window.__tjFrozen = saved;
}"""
THAW = """() => {
  for (const [node, value, prop] of (window.__tjFrozen || []).reverse()) {
    if (prop) node.style[prop] = value; else node.nodeValue = value;
  }
  delete window.__tjFrozen;
}"""


def updating() -> bool:
    return os.environ.get("VISUAL_UPDATE", "") not in ("", "0")


def reduce(png: bytes) -> Image.Image:
    """Half size, 64-colour palette: what is stored, and what is compared."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    return image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def screenshot(page) -> bytes:
    page.evaluate(FREEZE)
    try:
        return page.screenshot(animations="disabled", caret="hide")
    finally:
        page.evaluate(THAW)


def difference(reference: Image.Image, current: Image.Image) -> tuple[float, Image.Image]:
    """Share of differing pixels, and the mask of them."""
    ref, cur = reference.convert("RGB"), current.convert("RGB")
    if ref.size != cur.size:
        return 1.0, Image.new("L", cur.size, 255)
    channels = ImageChops.difference(ref, cur).split()
    worst = channels[0]
    for channel in channels[1:]:
        worst = ImageChops.lighter(worst, channel)
    mask = worst.point(lambda value: 255 if value > PIXEL_THRESHOLD else 0)
    differing = mask.histogram()[255]
    return differing / (mask.width * mask.height), mask


def _diff_image(reference: Image.Image, current: Image.Image, mask: Image.Image) -> Image.Image:
    ref, cur = reference.convert("RGB"), current.convert("RGB")
    width = ref.width + cur.width + cur.width
    sheet = Image.new("RGB", (width, max(ref.height, cur.height)), "white")
    sheet.paste(ref, (0, 0))
    sheet.paste(cur, (ref.width, 0))
    highlighted = Image.composite(Image.new("RGB", cur.size, (255, 0, 0)), cur.convert("L").convert("RGB"), mask)
    sheet.paste(highlighted, (ref.width + cur.width, 0))
    return sheet


class VisualCheck:
    """The references of one journey."""

    def __init__(self, journey: str):
        self.folder = REFERENCES / journey
        self.diffs = DIFFS / journey
        self.checked = 0
        shutil.rmtree(self.diffs, ignore_errors=True)
        if updating():
            shutil.rmtree(self.folder, ignore_errors=True)  # steps that no longer exist go too

    def check(self, page, name: str) -> None:
        current = reduce(screenshot(page))
        reference_path = self.folder / f"{name}.png"
        self.checked += 1
        if updating():
            self.folder.mkdir(parents=True, exist_ok=True)
            current.save(reference_path, optimize=True)
            return
        assert reference_path.exists(), (
            f"no reference image {reference_path.relative_to(ROOT)}: look at the page, then `make visual-update`"
        )
        reference = Image.open(reference_path)
        ratio, mask = difference(reference, current)
        if ratio > MAX_RATIO:
            self.diffs.mkdir(parents=True, exist_ok=True)
            diff_path = self.diffs / f"{name}-diff.png"
            _diff_image(reference, current, mask).save(diff_path)
            raise AssertionError(
                f"step {name!r} looks different from its reference ({ratio:.1%} of pixels differ, "
                f"tolerance {MAX_RATIO:.0%}): see {diff_path.relative_to(ROOT)}; if the change is wanted, "
                "renew the references with `make visual-update` and review them"
            )
