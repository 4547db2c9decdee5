"""Text on a framework's colours: the method's colours stay, the text on them
reaches WCAG's 4.5:1 contrast (the framework's own text colour when it does,
else black or white, whichever contrasts more)."""

MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA for normal text
BLACK, WHITE = "#000000", "#ffffff"


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str, preferred: str) -> str:
    if contrast(background, preferred) >= MINIMUM_CONTRAST:
        return preferred
    return max((BLACK, WHITE), key=lambda text: contrast(background, text))
