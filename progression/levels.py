"""The level table, in one place: the extension's eight levels, extended without end.

Levels 1-8 are the extension's own (EXTENSION.md); 9 starts at 2000 XP, 10 at 2500, and every
level after that needs 500 XP more.
"""

from dataclasses import dataclass

LEVEL_TABLE: tuple[tuple[int, str, int], ...] = (
    (1, "Mindful Rookie", 0),
    (2, "Breathing Novice", 50),
    (3, "Calm Coder", 150),
    (4, "Zen Developer", 300),
    (5, "Mindful Master", 500),
    (6, "Breathing Sage", 750),
    (7, "Code Mystic", 1000),
    (8, "Breath Master", 1500),
    (9, "Quiet Architect", 2000),
    (10, "Grove Keeper", 2500),
)
STEP_AFTER_TABLE = 500
# Titles for the levels past the table, in order; the last one stays for every level beyond.
TITLES_AFTER_TABLE = ("Still Water", "Steady Flame", "Deep Root", "Open Sky", "Eternal Breath")


@dataclass(frozen=True)
class Level:
    number: int
    title: str
    xp_required: int
    next_xp_required: int

    def progress(self, total_xp: int) -> float:
        """How far `total_xp` is from this level to the next, between 0 and 1."""
        span = self.next_xp_required - self.xp_required
        return min(1.0, max(0.0, (total_xp - self.xp_required) / span))


def xp_for_level(number: int) -> int:
    if number <= len(LEVEL_TABLE):
        return LEVEL_TABLE[max(number, 1) - 1][2]
    return LEVEL_TABLE[-1][2] + (number - len(LEVEL_TABLE)) * STEP_AFTER_TABLE


def title_for_level(number: int) -> str:
    if number <= len(LEVEL_TABLE):
        return LEVEL_TABLE[max(number, 1) - 1][1]
    index = min(number - len(LEVEL_TABLE) - 1, len(TITLES_AFTER_TABLE) - 1)
    return TITLES_AFTER_TABLE[index]


def level_number_for_xp(total_xp: int) -> int:
    top = LEVEL_TABLE[-1]
    if total_xp >= top[2]:
        return top[0] + (total_xp - top[2]) // STEP_AFTER_TABLE
    return max(number for number, _title, xp in LEVEL_TABLE if total_xp >= xp)


def level_for_xp(total_xp: int) -> Level:
    number = level_number_for_xp(max(total_xp, 0))
    return Level(
        number=number,
        title=title_for_level(number),
        xp_required=xp_for_level(number),
        next_xp_required=xp_for_level(number + 1),
    )
