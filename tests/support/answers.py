"""Small, clearly separable sets of answers for theming tests."""

FOOD = (
    "the food is cold",
    "more food please",
    "food portions are too small",
    "hot food at night",
    "better food choices",
    "the food runs out early",
)
SHOWERS = (
    "the showers are cold",
    "more showers please",
    "fix the broken shower",
    "shower queue is too long",
    "hot showers in the morning",
    "clean showers",
)
