"""A second planter of outlet furniture, written apart from the detector, to plant into real stories.

    python benchmarks/furniture_planter_b.py

Written by a helper session (branch planterb) that read neither alignment/ (the detector and its word lists) nor
benchmarks/furniture.py (the first planter): every outlet, line and name below was made up here, in English and
in Russian, after the furniture of news sites in general. So a detector that finds these lines in a collection has
learned them from the collection, not recognised its own author's phrasing.

Six invented outlets. For each, `plant` gives the blocks of lines to put at the top of a story, between its
paragraphs and at its bottom, in each language. Most lines recur from story to story, now and then with a trivial
difference of case, final full stop or spacing; some change with every story (a date line, a byline, a photo
credit, a list of other headlines), as they do on a real site. Nothing says which is which: the recurring ones
are what a learner should find. The English and Russian editions of an outlet carry different furniture, as real
ones do (a donation appeal in one, a cookie notice in the other).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

JITTER_CHANCE = 0.1  # the share of lines that differ trivially from the outlet's usual wording
FIRST_DAY = datetime(2024, 3, 4)  # story n of a collection is dated n days later


@dataclass(frozen=True)
class Listing:
    """Headlines of other stories under a block's heading ("Read more"): between `low` and `high` of them."""

    low: int
    high: int
    form: str = "{headline}"


@dataclass(frozen=True)
class Block:
    """Lines the outlet puts together at one place, with the chance that a story carries them."""

    place: str  # "top", "between" or "bottom"
    lines: tuple[str, ...]
    chance: float = 1.0
    listing: Listing | None = None


# Each outlet's furniture, by language. A line's {fields} change with the story (see _FIELDS); everything else
# recurs. Every edition carries between 3 and 8 lines a story.
_FURNITURE: dict[str, dict[str, tuple[Block, ...]]] = {
    "Kestrel Post": {
        "en": (
            Block("top", ("Kestrel Post · World", "Updated {date}, {time}")),
            Block("between", ("Sign up for Morning Kestrel, our free daily briefing, delivered to your inbox.",), 0.8),
            Block("bottom", ("Photo: {photographer} for Kestrel Post", "Share this story on Facebook, X or by email.")),
            Block("bottom", ("Read more:",), listing=Listing(1, 2)),
        ),
        "ru": (
            Block("top", ("«Кестрел Пост» · Мир", "Обновлено {date} в {time}")),
            Block(
                "between",
                (
                    "Поддержите «Кестрел Пост»: даже небольшое ежемесячное пожертвование помогает нам оставаться "
                    "независимыми.",
                ),
                0.7,
            ),
            Block(
                "bottom",
                ("Фото: {photographer}", "Подписывайтесь на наш канал в Telegram, чтобы не пропускать главное."),
            ),
            Block("bottom", ("Читайте также",), listing=Listing(1, 2, "— {headline}")),
        ),
    },
    "Lanternfield Herald": {
        "en": (
            Block(
                "top",
                (
                    "We use cookies to improve your experience. By continuing to browse the site you agree to our "
                    "use of cookies.",
                    "Accept and close",
                ),
            ),
            Block("top", ("By {reporter}, Herald correspondent {in_city}", "Published {date}")),
            Block("between", ("Advertisement",), 0.5),
            Block(
                "bottom",
                (
                    "Spotted a mistake? Write to corrections@lanternfield-herald.example and we will put it right.",
                    "Get the Lanternfield Herald app for iPhone and Android.",
                ),
            ),
        ),
        "ru": (
            Block(
                "top",
                (
                    "Мы используем файлы cookie, чтобы сайтом было удобнее пользоваться. Оставаясь на сайте, вы "
                    "соглашаетесь с политикой конфиденциальности.",
                    "Понятно",
                ),
            ),
            Block("top", ("Автор: {reporter}, собственный корреспондент «Геральда» {in_city}",)),
            Block("bottom", ("Нашли опечатку? Выделите фрагмент текста и нажмите Ctrl+Enter.",)),
            Block("bottom", ("Скачайте приложение «Лантернфилд Геральд» для iOS и Android.",), 0.6),
        ),
    },
    "Ostrova Review": {
        "en": (
            Block("top", ("Ostrova Review — independent reporting from Eurasia",)),
            Block(
                "between",
                ("This article is free to read. Subscribe for full access to our analysis and archive.",),
                0.7,
            ),
            Block(
                "bottom",
                (
                    "Illustration: {photographer} / Ostrova Review",
                    "Follow Ostrova Review on Telegram, Instagram and YouTube.",
                ),
            ),
            Block("bottom", ("More from Ostrova Review",), listing=Listing(2, 3)),
        ),
        "ru": (
            Block("top", ("Если сайт не открывается, читайте «Острова» в нашем приложении или в Telegram.",)),
            Block(
                "between",
                (
                    "«Острова» существуют на пожертвования читателей.",
                    "Поддержите нас — даже 200 рублей в месяц помогают нам продолжать работу.",
                ),
                0.8,
            ),
            Block("bottom", ("Ещё по теме:",), listing=Listing(1, 3, "• {headline}")),
            Block("bottom", ("Иллюстрация: {photographer}",), 0.5),
        ),
    },
    "Seven Rivers Wire": {
        "en": (
            Block("top", ("{city}, {date} (Seven Rivers Wire)",)),
            Block("between", ("Related coverage",), 0.5, Listing(1, 2)),
            Block("bottom", ("Reporting by {reporter}; editing by {editor}",)),
            Block(
                "bottom",
                (
                    "How we report: the Seven Rivers Wire editorial code.",
                    "Contact the newsroom at desk@sevenrivers.example",
                    "© 2024 Seven Rivers Wire. All rights reserved.",
                ),
            ),
        ),
        "ru": (
            Block("top", ("{city}, {date} — «Семь рек».",)),
            Block("bottom", ("При полном или частичном использовании материалов ссылка на «Семь рек» обязательна.",)),
            Block(
                "bottom",
                (
                    "Подписывайтесь на «Семь рек» в Telegram и ВКонтакте.",
                    "Сообщить об ошибке можно по адресу desk@sevenrivers.example.",
                ),
            ),
            Block("bottom", ("Материалы по теме",), 0.7, Listing(1, 3)),
        ),
    },
    "Greyhaven Dispatch": {
        "en": (
            Block("top", ("Gift this article", "Listen to this article · {minutes} min")),
            Block("between", ("Advertisement", "Story continues below advertisement"), 0.8),
            Block(
                "bottom",
                ("The Greyhaven Dispatch is funded by its readers. Become a member today from £5 a month.",),
            ),
            Block("bottom", ("Most read",), listing=Listing(2, 2)),
        ),
        "ru": (
            Block("top", ("Слушать статью · {minutes} мин",)),
            Block("between", ("Реклама", "Продолжение — ниже"), 0.8),
            Block("bottom", ("Самое читаемое",), listing=Listing(2, 3)),
            Block("bottom", ("Мы в соцсетях: ВКонтакте, Одноклассники, Telegram, Дзен.",)),
        ),
    },
    "Tamarisk Daily": {
        "en": (
            Block("top", ("Our correspondent {in_city}",)),
            Block("top", ("Tamarisk Daily uses cookies to personalise content. Read our privacy policy.",), 0.7),
            Block("between", ("Photograph: {photographer}/Tamarisk Daily",)),
            Block(
                "between",
                ("Sign up to This Week in Tamarisk, our free newsletter, for the stories you may have missed.",),
                0.6,
            ),
            Block(
                "bottom",
                ("Tamarisk Daily is committed to correcting errors promptly. Read our corrections policy.",),
            ),
            Block("bottom", ("You might also like",), listing=Listing(1, 2)),
        ),
        "ru": (
            Block("top", ("Наш корреспондент {in_city}",)),
            Block("between", ("Фотография: {photographer}",)),
            Block("bottom", ("Понравился материал? Поделитесь им с друзьями.",)),
            Block("bottom", ("Установите приложение «Тамариск»: главные новости дня — в одном уведомлении.",), 0.5),
            Block("bottom", ("Подпишитесь на утреннюю рассылку: каждое утро — самое важное за ночь.",), 0.5),
        ),
    },
}

OUTLETS: list[str] = list(_FURNITURE)

# Other stories' headlines, for "Read more" lists: invented, and no translations of one another.
_HEADLINES = {
    "en": (
        "Central bank leaves interest rates unchanged for a third month",
        "Floods close mountain highway as rescuers reach stranded villages",
        "Parliament tightens rules for foreign-funded media",
        "Grain exports rise despite higher shipping costs",
        "Opposition leader released after two weeks in detention",
        "Teachers' strike over unpaid wages enters its second week",
        "New metro line opens after six years of delays",
        "Border crossing reopens to lorries after customs dispute",
        "Court upholds ban on rallies in the city centre",
        "Drought threatens cotton harvest in the south",
        "Energy ministry promises no winter blackouts this year",
        "Journalists detained while covering local elections",
        "Talks on gas transit fees end without agreement",
        "Hospital doctors warn of shortages of basic medicines",
        "Football federation fined over crowd trouble at derby",
        "Mayor resigns amid inquiry into building contracts",
        "Migrant workers return home as remittances fall",
        "Wildfire near the coast forces evacuation of summer camps",
        "Government plans to raise the retirement age by two years",
        "Rail freight to China doubles in a year",
        "Rights group says prisoners are denied access to lawyers",
        "Ministers agree on a visa-free travel deal",
        "Inflation hits its highest level since 2015",
        "Archaeologists find medieval trading post on river bank",
        "Power plant fire leaves city without heating",
        "Farmers block roads in protest over fuel prices",
        "Election commission rejects candidates over signature checks",
        "Tech start-ups move abroad to escape sanctions",
        "Earthquake shakes the capital, no casualties reported",
        "Museum returns stolen icons to monastery",
    ),
    "ru": (
        "Центробанк сохранил ключевую ставку на прежнем уровне",
        "Паводок отрезал от мира горные сёла",
        "Парламент ужесточил правила для СМИ с иностранным финансированием",
        "Экспорт зерна вырос, несмотря на подорожание фрахта",
        "Лидера оппозиции освободили после двух недель под арестом",
        "Забастовка учителей из-за долгов по зарплате идёт вторую неделю",
        "В столице открылась новая линия метро — с опозданием на шесть лет",
        "Пункт пропуска на границе снова открыт для грузовиков",
        "Суд оставил в силе запрет на митинги в центре города",
        "Засуха угрожает урожаю хлопка на юге страны",
        "Минэнерго обещает обойтись этой зимой без веерных отключений",
        "На муниципальных выборах задержали троих журналистов",
        "Переговоры о транзите газа закончились ничем",
        "Врачи предупреждают о нехватке базовых лекарств в больницах",
        "Федерацию футбола оштрафовали за беспорядки на дерби",
        "Мэр ушёл в отставку на фоне проверки строительных подрядов",
        "Трудовые мигранты возвращаются домой: переводы сокращаются",
        "Из-за лесного пожара на побережье эвакуировали детские лагеря",
        "Правительство предлагает повысить пенсионный возраст на два года",
        "Грузопоток по железной дороге в Китай удвоился за год",
        "Правозащитники: заключённым не дают встретиться с адвокатами",
        "Две страны договорились о безвизовом режиме",
        "Инфляция достигла максимума с 2015 года",
        "Археологи нашли на берегу реки средневековую торговую факторию",
        "После пожара на ТЭЦ город остался без отопления",
        "Фермеры перекрыли трассы в знак протеста против цен на топливо",
        "Избирком отказал кандидатам в регистрации из-за подписей",
        "IT-компании переезжают за границу из-за санкций",
        "В столице ощутили землетрясение, пострадавших нет",
        "Музей вернул монастырю похищенные иконы",
    ),
}

_PEOPLE = {
    "en": (
        "Anna Kovalenko", "David Mirzoyan", "Elena Petrova", "Giorgi Beridze", "Irina Sokolova", "James Whitfield",
        "Lena Hartmann", "Marat Seitkali", "Nina Osipova", "Oleg Danilov", "Sarah Okafor", "Timur Rakhimov",
        "Dmitri Lebedev", "Katya Morozova", "Tom Ellery", "Aliya Nurlanova",
    ),
    "ru": (
        "Анна Коваленко", "Давид Мирзоян", "Елена Петрова", "Георгий Беридзе", "Ирина Соколова", "Олег Данилов",
        "Нина Осипова", "Тимур Рахимов", "Дмитрий Лебедев", "Екатерина Морозова", "Алия Нурланова",
        "Марат Сейткали", "Сергей Гусев", "Мария Ковалёва", "Павел Никитин", "Ольга Зуева",
    ),
}  # fmt: skip

# A city as a dateline names it, and as "in ..." after a byline (Russian declines it).
_CITIES = {
    "en": tuple(
        (city, f"in {city}")
        for city in (
            "Yerevan", "Tbilisi", "Almaty", "Bishkek", "Riga", "Vilnius", "Berlin", "Istanbul", "Tashkent", "Baku",
            "Chisinau", "Warsaw",
        )
    ),  # fmt: skip
    "ru": (
        ("Ереван", "в Ереване"), ("Тбилиси", "в Тбилиси"), ("Алматы", "в Алматы"), ("Бишкек", "в Бишкеке"),
        ("Рига", "в Риге"), ("Вильнюс", "в Вильнюсе"), ("Берлин", "в Берлине"), ("Стамбул", "в Стамбуле"),
        ("Ташкент", "в Ташкенте"), ("Баку", "в Баку"), ("Кишинёв", "в Кишинёве"), ("Варшава", "в Варшаве"),
    ),
}  # fmt: skip

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
}  # fmt: skip


def _date(lang: str, moment: datetime, rng: random.Random) -> str:
    return f"{moment.day} {_MONTHS[lang][moment.month - 1]} {moment.year}"


def _time(lang: str, moment: datetime, rng: random.Random) -> str:
    return f"{moment:%H:%M}"


def _person(lang: str, moment: datetime, rng: random.Random) -> str:
    return rng.choice(_PEOPLE[lang])


def _city(lang: str, moment: datetime, rng: random.Random) -> str:
    return rng.choice(_CITIES[lang])[0]


def _in_city(lang: str, moment: datetime, rng: random.Random) -> str:
    return rng.choice(_CITIES[lang])[1]


def _minutes(lang: str, moment: datetime, rng: random.Random) -> str:
    return str(rng.randint(3, 12))


# What each {field} of a line becomes in one story.
_FIELDS = {
    "date": _date,
    "time": _time,
    "photographer": _person,
    "reporter": _person,
    "editor": _person,
    "city": _city,
    "in_city": _in_city,
    "minutes": _minutes,
}


def plant(outlet: str, story_no: int, rng: random.Random) -> dict[str, list[tuple[str, list[str]]]]:
    """The furniture of `outlet` around its story number `story_no`: for "en" and "ru", (place, lines) blocks.

    Every random choice comes from `rng`, so that a seed fixes the result. Raises KeyError for an unknown outlet.
    """
    editions = _FURNITURE[outlet]
    # Both editions of a story appear the same day, at the same time.
    moment = FIRST_DAY + timedelta(days=story_no, minutes=rng.randrange(7 * 60, 22 * 60))
    return {lang: _blocks(blocks, lang, moment, rng) for lang, blocks in editions.items()}


def _blocks(
    blocks: tuple[Block, ...], lang: str, moment: datetime, rng: random.Random
) -> list[tuple[str, list[str]]]:
    placed = []
    for block in blocks:
        if rng.random() >= block.chance:
            continue
        lines = [_fill(line, lang, moment, rng) for line in block.lines]
        if block.listing:
            count = rng.randint(block.listing.low, block.listing.high)
            lines += [block.listing.form.format(headline=h) for h in rng.sample(_HEADLINES[lang], count)]
        placed.append((block.place, [_jitter(line, rng) for line in lines]))
    return placed


def _fill(line: str, lang: str, moment: datetime, rng: random.Random) -> str:
    fields = [name for _, name, _, _ in string.Formatter().parse(line) if name]
    return line.format(**{name: _FIELDS[name](lang, moment, rng) for name in fields})


def _jitter(line: str, rng: random.Random) -> str:
    """Now and then, the line as a site's other template or a hurried editor writes it: case, full stop, spacing."""
    if rng.random() >= JITTER_CHANCE:
        return line
    kind = rng.choice(("case", "stop", "space"))
    if kind == "case":
        # Headings go to capitals ("READ MORE"); a whole sentence in capitals would be no longer trivial to a reader.
        return line.upper() if len(line.split()) <= 4 else line.lower()
    if kind == "stop":
        if line.endswith("."):
            return line[:-1]
        return line + "." if line[-1].isalnum() else line
    spaces = [i for i, char in enumerate(line) if char == " "]
    if not spaces:
        return line
    at = rng.choice(spaces)
    return line[:at] + " " + line[at:]


if __name__ == "__main__":
    outlet = OUTLETS[0]
    rng = random.Random(1)
    for story_no in (0, 1):
        print(f"{outlet}, story {story_no}")
        for lang, blocks in plant(outlet, story_no, rng).items():
            for place, lines in blocks:
                for line in lines:
                    print(f"  {lang}  {place:<8} {line}")
    counts = [
        sum(len(lines) for _, lines in blocks)
        for name in OUTLETS
        for story_no in range(200)
        for blocks in plant(name, story_no, rng).values()
    ]
    print(f"\nlines a side, over 200 stories of each of {len(OUTLETS)} outlets: {min(counts)} to {max(counts)}")
