"""Planter "b": an independent set of planted divergences for the benchmark.

Written without looking at the detection engine or at the other planter, so the test cases it makes
do not share that code's blind spots. Given a story (1-1 gold beads), :func:`plant` puts one divergence
of a given kind into it and says where it is:

- ``only_en`` / ``only_ru``: 1 to 3 consecutive sentences kept on one side and cut from the other
  (1-0 / 0-1 beads), at the beginning, in the middle or at the end (never the headline);
- ``boilerplate``: outlet furniture (newsletter boxes, donation appeals, credits, bylines, legal labels,
  cookie banners, "Read also" with another story's headline...) inserted on one side only, as null beads,
  one line or a block of 2 to 8, above the headline, between paragraphs or after the last sentence;
- ``number``: one number that both sides of a 1-1 bead carry is changed on one side (a digit, a power of ten,
  rounding, a year, a percentage, a number word with its Russian case kept);
- ``name``: a person's or place's name that both sides carry (found by transliteration) is swapped on one side
  for another name, inflected in Russian like the word it replaces;
- ``meaning``: one side of a 1-1 bead is made to say something else (negation, an antonym, two names swapped,
  or an on-topic sentence of similar length from another story).

Everything is deterministic for ``(story.name, kind, seed)`` and pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from benchmarks.data import Story, from_units, story_rng
from benchmarks.divergences import Plant

NAME = "b"
KINDS = ("only_en", "only_ru", "boilerplate", "number", "name", "meaning")

Unit = tuple[tuple[str, ...], tuple[str, ...]]
_SIDES = ("en", "ru")


def plant(story: Story, kind: str, seed: int, others: Sequence[Story]) -> Plant | None:
    """One divergence of `kind` planted in `story` (None where the story offers no site). Deterministic for
    (story.name, kind, seed). `others` are other stories, for material (never take material from `story`)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    rng = story_rng(seed, "planter-b", kind, story.name)
    pool = sorted((o for o in others if o.name != story.name), key=lambda o: o.name)
    units = [(tuple(en), tuple(ru)) for en, ru in story.units()]
    if kind in ("only_en", "only_ru"):
        return _plant_only(story, units, kind, rng)
    if kind == "boilerplate":
        return _plant_boilerplate(story, units, rng, pool)
    if kind == "number":
        return _plant_edit(story, units, kind, rng, _number_edits)
    if kind == "name":
        return _plant_edit(story, units, kind, rng, _name_edits)
    return _plant_meaning(story, units, rng, pool)


# ----------------------------------------------------------------------------------------------- helpers


def _position(units: Sequence[Unit], bead: int, side: str) -> int:
    k = 0 if side == "en" else 1
    return sum(len(u[k]) for u in units[:bead])


def _is_pair(unit: Unit) -> bool:
    return len(unit[0]) == 1 and len(unit[1]) == 1


def _make(story: Story, units: list[Unit], kind: str, side: str, bead: int, before: str) -> Plant:
    planted = from_units(story.name, units)
    return Plant(story=planted, kind=kind, side=side, index=_position(units, bead, side), bead=bead,
                 before=before)


def _cap_like(word: str, model: str) -> str:
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# ----------------------------------------------------------------------------------------- only_en / ru


def _plant_only(story: Story, units: list[Unit], kind: str, rng) -> Plant | None:
    side = "en" if kind == "only_en" else "ru"
    n = len(units)
    # candidates: beads after the headline bead, with a sentence on both sides
    sites = [i for i in range(1, n) if units[i][0] and units[i][1]]
    if len(sites) < 2:
        return None
    length = rng.choice((1, 1, 1, 2, 2, 3))
    length = max(1, min(length, len(sites) - 1))
    region = rng.choice(("beginning", "middle", "end"))
    third = max(1, len(sites) // 3)
    if region == "beginning":
        starts = sites[:third]
    elif region == "end":
        starts = sites[-third:]
    else:
        starts = sites[third:len(sites) - third] or sites
    start = rng.choice(starts)
    # keep the passage consecutive and inside the story
    run = [start]
    while len(run) < length and run[-1] + 1 < n and run[-1] + 1 in sites:
        run.append(run[-1] + 1)
    new = list(units)
    for i in run:
        en, ru = new[i]
        new[i] = (en, ()) if side == "en" else ((), ru)
    return _make(story, new, kind, side, run[0], "")


# --------------------------------------------------------------------------------------------- boilerplate

# Single lines, by category, in each language. Written for this planter; they imitate the furniture of
# English-language outlets (Guardian, AP, Al Jazeera, BBC, DW, Euronews, Moscow Times...) and of
# Russian-language ones (Novaya Gazeta Europe, The Insider, Kommersant, Izvestia, RBC, BBC Russian,
# Radio Liberty, Dozhd, Vedomosti, The Bell, Agentstvo...).

_EN: dict[str, tuple[str, ...]] = {
    "newsletter_head": (
        "Sign up for the Morning Ledger and get the day's five biggest stories before breakfast.",
        "Get our free Friday newsletter, The Eastern Dispatch, delivered to your inbox.",
        "Newsletter: Europe Unpacked, every Tuesday and Thursday",
        "Want the news without the noise? Try our weekday briefing.",
        "Don't miss a story: subscribe to our evening digest.",
    ),
    "newsletter_form": (
        "Enter your email address",
        "Your email",
        "Sign me up",
        "Subscribe for free",
        "By signing up, you agree to our terms and to receive occasional offers from our partners.",
        "You can unsubscribe at any time. We will never share your address.",
        "Thanks for subscribing! Check your inbox to confirm.",
    ),
    "paywall": (
        "You have read 3 of your 5 free articles this month.",
        "Already a subscriber? Log in",
        "Subscribe now for unlimited access: your first month for just $1.",
        "Unlock this story and everything else on the site for less than a coffee a week.",
        "This article is free to read for registered users.",
    ),
    "donate_head": (
        "Independent journalism needs your support.",
        "Before you go: we have a small favour to ask.",
        "Help us keep the lights on.",
        "Our newsroom works in exile. Readers like you keep it going.",
    ),
    "donate_body": (
        "We have no billionaire owner and no paywall, so every contribution, however small, matters.",
        "Support our reporting from as little as \u20ac2 a month. It takes less than a minute.",
        "Our reporters were forced out of the country. With your help they keep writing.",
        "More than 40,000 readers already chip in. Will you join them today?",
        "Your donation is processed securely and you can cancel at any time.",
    ),
    "donate_button": (
        "Donate once",
        "Give monthly",
        "Become a member",
        "Contribute with PayPal",
        "Pay by card",
        "Donate in crypto",
        "Remind me in May",
    ),
    "credit": (
        "Photo: Marta Ivanko / AP",
        "Image caption: Crowds gathered outside the courthouse on Monday morning.",
        "Image copyright: Getty Images",
        "Photograph: handout via EPA",
        "File photo",
        "Illustration: Studio Fenwick for this publication",
        "Video: our correspondent reports from the scene",
        "Watch: the key moments in under two minutes",
        "Photo: Reuters / Dmitri Kovalenko",
        "Media playback is unsupported on your device",
    ),
    "byline": (
        "By Helen Marchbank, Europe correspondent",
        "By Daniel Okoro and Priya Raman",
        "Staff and agencies",
        "Reporting by Tomasz Wrobel; editing by Clare Hadley",
        "From our correspondent in Riga",
        "Words by Nina Vollmer. Additional reporting by Sam Achterberg.",
        "Associated Press writers in Washington contributed to this report.",
    ),
    "update": (
        "This article was updated at 14:20 GMT with a statement from the ministry.",
        "Editor's note: an earlier version of this story misstated the date of the hearing.",
        "Correction: a previous headline described the company as state-owned. It is privately held.",
        "This is a developing story and will be updated.",
        "Last modified on Thu 12 Sep 09.41 BST",
        "Published 2 hours ago",
        "This piece was first published on our Russian-language site and translated by our team.",
        "Clarification: this story has been amended to make clear that no charges were filed.",
    ),
    "legal": (
        "This content is not available in your region.",
        "The Russian authorities have declared this publication an \"undesirable organisation\".",
        "Sharing this article may carry legal risks for readers in Russia.",
        "Opinions expressed in this column are the author's own.",
    ),
    "channel": (
        "Follow us on Telegram for live updates",
        "Join our WhatsApp channel",
        "Subscribe to our YouTube channel for daily explainers",
        "Follow us on X and Instagram",
        "Watch our live stream on YouTube",
        "Listen to our podcast wherever you get your podcasts",
    ),
    "app": (
        "Download our app for iOS and Android",
        "Get the app",
        "Open in app",
        "Turn on notifications so you never miss a breaking story.",
        "Read us without blocks: install the app or use our mirror site.",
    ),
    "cookie": (
        "We use cookies to improve your experience on our site.",
        "Accept all cookies",
        "Manage preferences",
        "Reject non-essential cookies",
        "Read our privacy policy",
        "By continuing to browse, you consent to our use of cookies.",
    ),
    "typo": (
        "Spotted a mistake? Select the text and press Ctrl+Enter.",
        "Report an error",
        "Got a tip? Contact our newsroom securely.",
    ),
    "comments": (
        "Comments (12)",
        "Show comments",
        "Join the discussion",
        "Comments are closed for this article.",
        "Be the first to comment",
    ),
    "listen": (
        "Listen to this article",
        "4 min read",
        "Listen \u00b7 6:12",
        "Reading time: 5 minutes",
        "This audio version was generated automatically.",
    ),
    "tags": (
        "Topics: Politics, Europe",
        "Tags: elections, United States",
        "Filed under: World news",
        "Section: Sport",
        "Explore more on these topics",
        "Related topics",
    ),
    "share": (
        "Share",
        "Share on Facebook",
        "Share on X",
        "Copy link",
        "Email this story",
        "Print this page",
        "Save for later",
        "Share via WhatsApp",
    ),
    "ad": (
        "Advertisement",
        "Story continues below advertisement",
        "Sponsored content",
        "Skip advertisement",
    ),
    "misc": (
        "Most read",
        "Live",
        "Breaking",
        "Back to top",
        "More from this section",
        "Editor's picks",
    ),
}

_RU: dict[str, tuple[str, ...]] = {
    "newsletter_head": (
        "Подпишитесь на нашу утреннюю рассылку: главное за ночь в одном письме.",
        "Рассылка «Вечерний выпуск» — по будням в 19:00.",
        "Хотите получать наши расследования первыми? Оставьте адрес почты.",
        "Еженедельный дайджест «Что случилось» — бесплатно, каждую пятницу.",
        "Не пропускайте главное: подпишитесь на ежедневную рассылку редакции.",
    ),
    "newsletter_form": (
        "Введите адрес электронной почты",
        "Ваш e-mail",
        "Подписаться",
        "Подписаться бесплатно",
        "Нажимая кнопку, вы соглашаетесь с условиями обработки персональных данных.",
        "Отписаться можно в любой момент. Мы никому не передаем ваш адрес.",
        "Спасибо! Проверьте почту, чтобы подтвердить подписку.",
    ),
    "paywall": (
        "Вы прочитали 2 из 3 бесплатных статей в этом месяце.",
        "Уже подписаны? Войти",
        "Оформите подписку и читайте без ограничений — первый месяц за 1 рубль.",
        "Полный текст доступен только подписчикам.",
        "Материал открыт для зарегистрированных пользователей.",
    ),
    "donate_head": (
        "Поддержите независимую журналистику",
        "Прежде чем вы закроете эту страницу…",
        "Нас заблокировали в России, но мы продолжаем работать.",
        "Редакция работает в эмиграции — и держится только на читателях.",
    ),
    "donate_body": (
        "У нас нет инвесторов и государственных денег, поэтому важен каждый перевод, даже самый небольшой.",
        "Поддержать нас можно от 300 рублей в месяц — это займет меньше минуты.",
        "Наших журналистов вынудили уехать из страны. Благодаря вам они продолжают писать.",
        "Уже более 30 тысяч читателей помогают редакции. Присоединяйтесь!",
        "Оплата проходит через зарубежного партнера, отменить подписку можно в любой момент.",
    ),
    "donate_button": (
        "Пожертвовать",
        "Ежемесячно",
        "Разово",
        "Помочь через криптовалюту",
        "Оплатить картой иностранного банка",
        "Стать другом редакции",
        "Сумма: 500 ₽ / 1000 ₽ / 3000 ₽",
    ),
    "credit": (
        "Фото: Кирилл Лаптев / «Коммерсантъ»",
        "Фото: Сергей Бобылёв / ТАСС",
        "Фото: пресс-служба правительства",
        "Фото из социальных сетей",
        "Кадр из видео",
        "Иллюстрация: редакция",
        "Фото из открытых источников",
        "Фото: Reuters / Scanpix",
        "Видео: наш корреспондент на месте событий",
        "Подпись к фото: Люди у здания суда в понедельник утром.",
    ),
    "byline": (
        "Автор: Мария Соколова",
        "Текст: Дмитрий Ерохин",
        "Корреспондент Анна Белова, Берлин",
        "Редактор: Ольга Шевченко",
        "Материал подготовила служба новостей",
        "Перевод с английского: редакция",
        "Над материалом работали Иван Кудрин и Полина Сазонова.",
    ),
    "update": (
        "Материал дополнен в 16:45 комментарием пресс-службы.",
        "Обновлено 12 сентября, 09:40",
        "Новость дополняется",
        "Исправление: в первоначальной версии статьи была неверно указана дата заседания.",
        "Примечание редакции: имя героини изменено по ее просьбе.",
        "Опубликовано 3 часа назад",
        "Текст впервые опубликован на английском языке и переведен редакцией.",
        "Уточнение: из текста удалено ошибочное упоминание об уголовном деле.",
    ),
    "legal": (
        "Этот материал создан и распространен СМИ, которое Минюст внес в реестр иностранных агентов.",
        "Редакция признана в России «нежелательной организацией». Пересылая этот текст, будьте осторожны.",
        "Настоящий материал произведен иностранным агентом. 18+",
        "Мнение автора может не совпадать с позицией редакции.",
    ),
    "channel": (
        "Подписывайтесь на наш телеграм-канал",
        "Все главные новости — в нашем Telegram",
        "Смотрите нас на YouTube",
        "Мы ВКонтакте",
        "Читайте нас в «Дзене»",
        "Наш канал в WhatsApp",
    ),
    "app": (
        "Скачайте приложение для iOS и Android",
        "Открыть в приложении",
        "Включите уведомления, чтобы не пропустить главное.",
        "Если сайт не открывается, используйте VPN или наше зеркало.",
        "Читайте нас без блокировок: установите приложение.",
    ),
    "cookie": (
        "Мы используем файлы cookie, чтобы сайт работал лучше.",
        "Принять",
        "Настроить",
        "Отклонить необязательные",
        "Политика конфиденциальности",
        "Продолжая пользоваться сайтом, вы соглашаетесь с использованием cookie.",
    ),
    "typo": (
        "Нашли опечатку? Выделите текст и нажмите Ctrl+Enter.",
        "Сообщить об ошибке",
        "Есть информация? Напишите нам в защищенный мессенджер.",
    ),
    "comments": (
        "Комментарии (8)",
        "Показать комментарии",
        "Обсудить в соцсетях",
        "Комментирование закрыто",
        "Оставьте первый комментарий",
    ),
    "listen": (
        "Слушать статью",
        "Время чтения: 4 минуты",
        "5 минут на чтение",
        "Аудиоверсия создана автоматически.",
        "Слушать · 6:12",
    ),
    "tags": (
        "Теги: политика, США",
        "Рубрика: Мир",
        "Темы: выборы, Европа",
        "Раздел: Спорт",
        "Все материалы по теме",
        "Сюжет: выборы в Европе",
    ),
    "share": (
        "Поделиться",
        "Скопировать ссылку",
        "Отправить в Telegram",
        "Поделиться ВКонтакте",
        "Распечатать",
        "В закладки",
        "Отправить в WhatsApp",
        "Поделиться в «Одноклассниках»",
    ),
    "ad": (
        "Реклама",
        "Продолжение статьи — после рекламы",
        "Партнерский материал",
        "Пропустить рекламу",
    ),
    "misc": (
        "Самое читаемое",
        "Прямой эфир",
        "Срочно",
        "Наверх",
        "Все новости раздела",
        "Выбор редакции",
    ),
}

_READ_ALSO = {
    "en": ("Read also: {h}", "Read more: {h}", "Related: {h}", "More on this story: {h}", "You might also like: {h}",
           "Recommended: {h}", "Also on our site: {h}"),
    "ru": ("Читайте также: {h}", "По теме: {h}", "Еще по теме: {h}", "Смотрите также: {h}", "Рекомендуем: {h}",
           "Сейчас читают: {h}", "Это тоже интересно: {h}"),
}

# Blocks, as sequences of categories ("read" = a "Read also" line with another story's headline).
_BLOCKS = {
    "top": (
        ("tags", "byline", "update", "listen"),
        ("legal", "byline", "listen", "share"),
        ("cookie", "cookie", "cookie", "app"),
        ("misc", "tags", "credit", "byline", "listen", "share"),
        ("paywall", "app", "tags"),
    ),
    "middle": (
        ("read", "read", "read"),
        ("credit", "credit"),
        ("ad", "read", "ad"),
        ("newsletter_head", "newsletter_form", "newsletter_form", "newsletter_form"),
        ("channel", "read", "credit"),
    ),
    "bottom": (
        ("donate_head", "donate_body", "donate_body", "donate_button", "donate_button", "donate_button"),
        ("share", "share", "share", "share", "comments", "comments"),
        ("newsletter_head", "newsletter_form", "newsletter_form", "newsletter_form"),
        ("typo", "tags", "channel", "read", "read"),
        ("byline", "update", "comments", "app", "misc"),
        ("channel", "channel", "app", "typo"),
    ),
}
_SINGLES = {
    "top": ("legal", "update", "tags", "listen", "byline", "credit", "misc", "cookie"),
    "middle": ("read", "read", "credit", "ad", "channel", "newsletter_head", "legal"),
    "bottom": ("read", "update", "typo", "channel", "app", "comments", "donate_head", "byline", "legal"),
}


def boilerplate_lines(lang: str) -> tuple[str, ...]:
    """Every fixed furniture line this planter can insert in `lang` (without the "Read also" templates)."""
    table = _EN if lang == "en" else _RU
    seen: dict[str, None] = {}
    for lines in table.values():
        for line in lines:
            seen.setdefault(line, None)
    return tuple(seen)


def _headline(pool: Sequence[Story], side: str, rng) -> str | None:
    options = [o for o in pool if (o.en if side == "en" else o.ru)]
    if not options:
        return None
    other = rng.choice(options)
    text = (other.en if side == "en" else other.ru)[0].strip()
    return text.rstrip(".")


def _furniture(side: str, place: str, size: int, rng, pool: Sequence[Story]) -> list[str]:
    table = _EN if side == "en" else _RU
    if size == 1:
        cats = [rng.choice(_SINGLES[place])]
    else:
        cats = list(rng.choice(_BLOCKS[place]))
        spare = [c for c in table if c not in cats]
        while len(cats) < size:
            cats.append(rng.choice(spare))
        cats = cats[:size]
    out: list[str] = []
    for cat in cats:
        for _ in range(8):
            if cat == "read":
                h = _headline(pool, side, rng)
                line = rng.choice(_READ_ALSO[side]).format(h=h) if h else rng.choice(table["misc"])
            else:
                line = rng.choice(table[cat])
            if line not in out:
                out.append(line)
                break
        else:  # very unlikely: take any unused line
            out.append(next(x for x in boilerplate_lines(side) if x not in out))
    return out


def _plant_boilerplate(story: Story, units: list[Unit], rng, pool: Sequence[Story]) -> Plant | None:
    if not units:
        return None
    side = rng.choice(_SIDES)
    place = rng.choice(("top", "middle", "middle", "bottom"))
    if place == "middle" and len(units) < 2:
        place = "bottom"
    size = 1 if rng.random() < 0.35 else rng.randint(2, 8)
    lines = _furniture(side, place, size, rng, pool)
    if place == "top":
        at = 0
    elif place == "bottom":
        at = len(units)
    else:
        at = rng.randint(1, len(units) - 1)
    inserted = [((line,), ()) if side == "en" else ((), (line,)) for line in lines]
    new = units[:at] + inserted + units[at:]
    return _make(story, new, "boilerplate", side, at, "")


# ------------------------------------------------------------------------------------ number / name edits

# An edit is (bead, side, new sentence); _plant_edit picks one with the rng.
Edit = tuple[int, str, str]


def _plant_edit(story: Story, units: list[Unit], kind: str, rng,
                finder: Callable[[list[Unit], object], list[Edit]]) -> Plant | None:
    edits = finder(units, rng)
    if not edits:
        return None
    bead, side, text = rng.choice(edits)
    k = 0 if side == "en" else 1
    before = units[bead][k][0]
    new = list(units)
    en, ru = new[bead]
    new[bead] = ((text,), ru) if side == "en" else (en, (text,))
    return _make(story, new, kind, side, bead, before)


# ---- numbers

_EN_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_EN_BY_VALUE = {v: w for w, v in _EN_WORDS.items()}

# Russian cardinals by case slot; 2-4 and 5-20/30 agree differently with their noun, so a word only
# changes within its group and keeps its case.
_RU_NUM: dict[str, tuple[int, str]] = {}
_RU_FORMS: dict[int, dict[str, str]] = {
    2: {"nom": "два", "nomf": "две", "gen": "двух", "dat": "двум", "ins": "двумя", "gen2": "двух", "dat2": "двум"},
    3: {"nom": "три", "nomf": "три", "gen": "трех", "dat": "трем", "ins": "тремя", "gen2": "трёх", "dat2": "трём"},
    4: {"nom": "четыре", "nomf": "четыре", "gen": "четырех", "dat": "четырем", "ins": "четырьмя",
        "gen2": "четырёх", "dat2": "четырём"},
}
for _stem, _val in (("пят", 5), ("шест", 6), ("сем", 7), ("девят", 9), ("десят", 10), ("одиннадцат", 11),
                    ("двенадцат", 12), ("тринадцат", 13), ("четырнадцат", 14), ("пятнадцат", 15),
                    ("шестнадцат", 16), ("семнадцат", 17), ("восемнадцат", 18), ("девятнадцат", 19),
                    ("двадцат", 20), ("тридцат", 30)):
    _RU_FORMS[_val] = {"nom": _stem + "ь", "gen": _stem + "и", "ins": _stem + "ью"}
_RU_FORMS[8] = {"nom": "восемь", "gen": "восьми", "ins": "восемью"}
for _val, _forms in _RU_FORMS.items():
    for _slot, _form in _forms.items():
        _RU_NUM.setdefault(_form, (_val, _slot))
del _RU_NUM["семью"]  # also "family" (accusative)

_EN_NUM_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])")
_RU_NUM_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)(?![\d])")
_WORD_RE = re.compile(r"[A-Za-zА-Яа-яЁё]+")


class _Num:
    """A number in a sentence: its span, its value(s) and how it is written."""

    def __init__(self, start: int, end: int, text: str, values: set[Decimal], word: bool, lang: str):
        self.start, self.end, self.text, self.values, self.word, self.lang = start, end, text, values, word, lang


def _values(text: str, lang: str) -> set[Decimal]:
    out = set()
    t = text.replace("\u00a0", " ").replace("\u202f", " ")
    try:
        if lang == "en":
            out.add(Decimal(t.replace(",", "")))
        else:
            t = t.replace(" ", "")
            out.add(Decimal(t.replace(",", ".")))
            if re.fullmatch(r"\d{1,3},\d{3}", t) or re.fullmatch(r"\d{1,3}\.\d{3}", t):
                out.add(Decimal(t.replace(",", "").replace(".", "")))
    except InvalidOperation:
        pass
    return out


def _numbers(sentence: str, lang: str) -> list[_Num]:
    out = []
    rx = _EN_NUM_RE if lang == "en" else _RU_NUM_RE
    for m in rx.finditer(sentence):
        vals = _values(m.group(1), lang)
        if vals:
            out.append(_Num(m.start(1), m.end(1), m.group(1), vals, False, lang))
    words = list(_WORD_RE.finditer(sentence))
    for i, m in enumerate(words):
        w = m.group(0).lower()
        val = _EN_WORDS.get(w) if lang == "en" else (_RU_NUM[w][0] if w in _RU_NUM else None)
        if val is None:
            continue
        # skip compounds ("twenty-five", "двадцать пять"): a number word next to another one
        near = [words[j].group(0).lower() for j in (i - 1, i + 1) if 0 <= j < len(words)]
        if any(x in _EN_WORDS or x in _RU_NUM or x in ("hundred", "thousand", "сто", "тысяч") for x in near):
            continue
        out.append(_Num(m.start(), m.end(), m.group(0), {Decimal(val)}, True, lang))
    return out


def _fmt(value: Decimal, model: str, lang: str) -> str:
    """`value` written the way `model` is written (grouping, decimal separator, decimals)."""
    t = model.replace("\u00a0", " ").replace("\u202f", " ")
    group = None
    if lang == "en":
        dec_sep = "."
        if "," in t:
            group = ","
    else:
        dec_sep = "," if "," in t else "." if "." in t else ","
        if " " in t:
            group = next(ch for ch in model if ch in " \u00a0\u202f")
    places = len(t.split(dec_sep)[1]) if dec_sep in t else 0
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{q:f}".partition(".")
    if group:
        parts = []
        while len(whole) > 3:
            parts.insert(0, whole[-3:])
            whole = whole[:-3]
        parts.insert(0, whole)
        whole = group.join(parts)
    return whole + (dec_sep + frac if frac else "")


def _ordinal_fix(sentence: str, end: int, new_text: str) -> tuple[int, str]:
    """English ordinal suffix after digits ("21st" -> "23rd"): returns (new end, suffix)."""
    m = re.match(r"(st|nd|rd|th)\b", sentence[end:])
    if not m or not new_text.isdigit():
        return end, ""
    n = int(new_text)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return end + len(m.group(1)), suffix


def _new_digits(num: _Num, sentence: str, rng) -> list[str]:
    """Candidate rewritings of a digit number, each in the original style."""
    text, lang = num.text, num.lang
    value = min(num.values)
    after = sentence[num.end:num.end + 12].lower()
    plain = text.isdigit()
    out: list[str] = []
    # year
    if plain and len(text) == 4 and 1800 <= int(text) <= 2100:
        decade = after.startswith(("s", "-х", "-е", "-x"))
        for d in ((10, 20, -10, -20) if decade else (1, 2, 3, -1, -2, -4)):
            out.append(str(int(text) + d))
        return out
    # percentage
    if after.startswith(("%", " %", "\u00a0%", " per cent", " percent", " процент", "\u00a0процент")):
        for d in (1, 2, 3, 5, 10, -1, -2, -3, -5, -10):
            v = value + d
            if v > 0 and (value > 100 or v <= 100):
                out.append(_fmt(v, text, lang))
        return out
    # change one digit (never the leading digit into 0)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    for i in digits:
        for d in "0123456789":
            if d == text[i] or (i == digits[0] and d == "0" and len(digits) > 1):
                continue
            if i == digits[0] and d == "0":
                continue
            out.append(text[:i] + d + text[i + 1:])
    rng.shuffle(out)
    out = out[:4]
    # scale by ten
    if value >= 10 and not re.match(r"[\s-]*(year|год|лет|-летн|летн)", after):
        out.append(_fmt(value * 10, text, lang))
        if value % 10 == 0 and value >= 100:
            out.append(_fmt(value / 10, text, lang))
    # round differently
    if value != value.to_integral_value():
        sep = "." if lang == "en" else ("," if "," in text else ".")
        whole, _, frac = text.rpartition(sep)
        model = whole + (sep + frac[:-1] if len(frac) > 1 else "")
        out.append(_fmt(value, model, lang))
    elif value >= 100:
        mag = Decimal(10) ** (len(str(int(value))) - 2)
        r = (value / mag).to_integral_value(rounding=ROUND_HALF_UP) * mag
        if r != value:
            out.append(_fmt(r, text, lang))
    return out


def _new_word(num: _Num, rng) -> list[str]:
    val = int(min(num.values))
    w = num.text.lower()
    if num.lang == "en":
        if val <= 12:
            choices = [v for v in range(2, 13) if v != val]
        elif val < 20:
            choices = [v for v in range(13, 20) if v != val]
        else:
            choices = [v for v in (20, 30, 40, 50, 60, 70, 80, 90) if v != val]
        return [_cap_like(_EN_BY_VALUE[v], num.text) for v in choices]
    _, slot = _RU_NUM[w]
    if val in (2, 3, 4):
        if slot == "nom" and val != 2 or w == "три" or w == "четыре":
            group = [3, 4]
        else:
            group = [2, 3, 4]
    else:
        group = [v for v in _RU_FORMS if v >= 5]
    out = []
    for v in group:
        if v == val:
            continue
        forms = _RU_FORMS[v]
        form = forms.get(slot) or forms.get(slot.rstrip("2")) or forms.get({"nomf": "nom", "dat": "gen"}.get(slot, "gen"))
        if form:
            out.append(_cap_like(form, num.text))
    return out


def _number_edits(units: list[Unit], rng) -> list[Edit]:
    edits: list[Edit] = []
    for b, unit in enumerate(units):
        if not _is_pair(unit):
            continue
        en, ru = unit[0][0], unit[1][0]
        nums = {"en": _numbers(en, "en"), "ru": _numbers(ru, "ru")}
        vals = {s: set().union(*(n.values for n in nums[s])) if nums[s] else set() for s in _SIDES}
        shared = vals["en"] & vals["ru"]
        if not shared:
            continue
        for side in _SIDES:
            sentence = en if side == "en" else ru
            other = "ru" if side == "en" else "en"
            for num in nums[side]:
                if not (num.values & shared):
                    continue
                cands = _new_word(num, rng) if num.word else _new_digits(num, sentence, rng)
                rng.shuffle(cands)
                for new_text in cands:
                    if num.word:
                        new_vals = {Decimal(_EN_WORDS.get(new_text.lower()) or _RU_NUM[new_text.lower()][0])}
                    else:
                        new_vals = _values(new_text, side)
                    if not new_vals or new_vals & (vals[other] | num.values):
                        continue
                    end, suffix = (num.end, "")
                    if side == "en" and not num.word:
                        end, suffix = _ordinal_fix(sentence, num.end, new_text)
                    new_sentence = sentence[:num.start] + new_text + suffix + sentence[end:]
                    if new_sentence != sentence:
                        edits.append((b, side, new_sentence))
                    break  # one rewrite per number occurrence keeps the choice balanced
    return edits


# ---- names

_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                      "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def translit(word: str) -> str:
    """A simple Cyrillic -> Latin transliteration (lower case)."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in word.lower())


def _key(latin: str, w_as_v: bool = False) -> str:
    """A coarse consonant skeleton for matching a Latin name with a transliterated Russian one."""
    s = latin.lower()
    for a, b in (("shch", "S"), ("sch", "S"), ("tch", "C"), ("dzh", "G"), ("zh", "G"), ("kh", ""),
                 ("ch", "C"), ("sh", "S"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("qu", "kv"), ("x", "ks"),
                 ("tz", "s"), ("ts", "s")):
        s = s.replace(a, b)
    s = re.sub(r"c(?=[eiy])", "s", s)
    s = s.replace("c", "k").replace("q", "k").replace("z", "s").replace("j", "G").replace("g", "G")
    s = s.replace("w", "v" if w_as_v else "")
    s = re.sub(r"[aeiouyh'\-]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


_EN_STOP = {
    "the", "president", "minister", "senator", "prime", "general", "professor", "doctor", "democrat",
    "democrats", "republican", "republicans", "parliament", "internet", "premier", "director", "captain",
    "colonel", "major", "police", "club", "company", "centre", "center", "chancellor", "king", "queen",
    "prince", "princess", "pope", "bishop", "governor", "mayor", "sheriff", "secretary", "ambassador",
    "congress", "senate", "twitter", "facebook", "instagram", "google", "youtube", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "football", "olympic",
    "olympics", "budget", "sport", "sports", "radio", "television", "video", "music", "film", "metro",
    "park", "hotel", "museum", "university", "institute", "academy", "festival", "mister", "madam",
}
_PLACE_CUES_EN = {"in", "at", "from", "near", "outside", "across", "into", "around", "across", "throughout"}
_PLACE_CUES_RU = {"в", "во", "из", "под", "около", "возле", "близ"}

# Replacement names: (English, Russian nominative). "cons" names end in a hard consonant and take the
# masculine endings (-а, -у, -ом, -е); "inv" names are not declined in Russian.
_PERSON_CONS = (
    ("Whitaker", "Уитакер"), ("Hollis", "Холлис"), ("Brandt", "Брандт"), ("Kessler", "Кесслер"),
    ("Fletcher", "Флетчер"), ("Gardner", "Гарднер"), ("Harlan", "Харлан"), ("Morton", "Мортон"),
    ("Prescott", "Прескотт"), ("Dalton", "Далтон"), ("Barnett", "Барнетт"), ("Novak", "Новак"),
    ("Horvat", "Хорват"), ("Sandoval", "Сандовал"), ("Holt", "Холт"), ("Mercer", "Мерсер"),
    ("Wexler", "Векслер"), ("Calder", "Калдер"), ("Ashford", "Эшфорд"), ("Donovan", "Донован"),
    ("Keller", "Келлер"), ("Lambert", "Ламберт"), ("Bennett", "Беннетт"), ("Foster", "Фостер"),
    ("Thornton", "Торнтон"), ("Webb", "Уэбб"), ("Dietrich", "Дитрих"), ("Petersen", "Петерсен"),
    ("Ackerman", "Акерман"), ("Lindqvist", "Линдквист"),
)
_PERSON_INV = (
    ("Rossi", "Росси"), ("Bianchi", "Бьянки"), ("Moretti", "Моретти"), ("Mancini", "Манчини"),
    ("Lombardi", "Ломбарди"), ("Dubois", "Дюбуа"), ("Moreau", "Моро"), ("Yamamoto", "Ямамото"),
    ("Bellini", "Беллини"), ("Santoro", "Санторо"), ("Okafor", "Окафор"), ("Conti", "Конти"),
)
_PLACE_CONS = (
    ("Manchester", "Манчестер"), ("Rotterdam", "Роттердам"), ("Hamburg", "Гамбург"),
    ("Frankfurt", "Франкфурт"), ("Denver", "Денвер"), ("Portland", "Портленд"), ("Cleveland", "Кливленд"),
    ("Detroit", "Детройт"), ("Amsterdam", "Амстердам"), ("Dortmund", "Дортмунд"), ("Edinburgh", "Эдинбург"),
    ("Oakland", "Окленд"),
)
_PLACE_INV = (
    ("Tbilisi", "Тбилиси"), ("Baku", "Баку"), ("Toronto", "Торонто"), ("Chicago", "Чикаго"),
    ("Oslo", "Осло"), ("Helsinki", "Хельсинки"), ("Nairobi", "Найроби"), ("Tokyo", "Токио"),
    ("Sacramento", "Сакраменто"), ("Miami", "Майами"), ("Palermo", "Палермо"), ("Bordeaux", "Бордо"),
    ("Ohio", "Огайо"), ("Idaho", "Айдахо"),
)
_RU_ENDINGS = {"": "", "а": "а", "у": "у", "ом": "ом", "ем": "ом", "е": "е", "ым": "ом"}
_HARD = set("бвгдзклмнпрстфх")

_EN_NAME_RE = re.compile(r"\b[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?\b")
_RU_NAME_RE = re.compile(r"(?<![А-Яа-яЁё])[А-ЯЁ][а-яё]{2,}(?:-[А-ЯЁ][а-яё]+)?(?![А-Яа-яЁё])")


def _split_ru(token: str, key: str) -> tuple[str, str] | None:
    """(stem, ending) when `token` is a hard-consonant name in a case we can copy; None otherwise."""
    low = token.lower()
    if low[-1] in _HARD and _key(translit(token)) == key:
        return token, ""
    for ending in ("ом", "ем", "ым", "а", "у", "е"):
        stem = token[:-len(ending)]
        if low.endswith(ending) and len(stem) >= 3 and stem[-1].lower() in _HARD \
                and _key(translit(stem)) == key:
            return stem, ending
    return None


def _matches(en_key: str, ru_token: str) -> bool:
    rk = _key(translit(ru_token))
    if len(en_key) < 2 or len(rk) < 2:
        return False
    return rk == en_key or (rk.startswith(en_key) and len(rk) - len(en_key) <= 1 and len(en_key) >= 3)


_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sen", "rep", "president", "senator", "minister", "professor", "prof",
           "judge", "governor", "mayor", "coach", "manager", "chancellor", "secretary", "sir", "lord", "lady",
           "dame", "captain", "general", "officer", "detective", "inspector", "sergeant", "chief", "pastor",
           "rev", "father", "doctor"}
_SPEECH = {"said", "says", "told", "added", "argued", "wrote", "explained", "insisted", "warned", "claimed",
           "noted", "replied", "stated", "tweeted", "admitted", "believes", "thinks", "announced", "asked"}
_RU_PERSON_CUES = {"г-н", "г-жа", "мистер", "миссис", "мисс", "доктор", "сенатор", "президент", "министр",
                   "профессор", "судья", "губернатор", "мэр", "тренер"}
_NOT_NAMES = {
    "street", "road", "avenue", "terrace", "crescent", "lane", "square", "park", "bridge", "cross", "hill",
    "grove", "close", "drive", "way", "place", "court", "gardens", "stars", "united", "city", "rovers",
    "giants", "church", "cathedral", "airport", "station", "hall", "house", "tory", "tories", "labour",
    "bible", "god", "christ", "brexit", "news", "times", "post", "telegraph", "journal", "league", "cup",
    "prize", "award", "state", "county", "district", "region", "province", "island", "river", "lake",
    "mountain", "valley", "bay", "beach", "coast", "team", "group", "party", "force", "army", "navy",
    "conference", "council", "committee", "association", "union", "assembly", "commission", "society",
    "foundation", "institute", "university", "college", "school", "agency", "service", "office",
    "department", "ministry", "bank", "corporation", "court", "games", "open", "championship",
}
# a name after one of these is part of a compound place ("North Korea", "New York", "San Diego")
_COMPOUND = {"north", "south", "east", "west", "new", "western", "eastern", "northern", "southern", "central",
             "great", "united", "saint", "st", "san", "santa", "los", "las", "le", "la", "el", "upper", "lower",
             "old", "fort", "port", "mount", "lake", "cape"}


def _prev_word(text: str, start: int) -> str:
    words = re.findall(r"[\w'.-]+", text[:start])
    return words[-1].strip(".") if words else ""


def _name_kind(en: str, m: re.Match, ru: str, hits: list[re.Match]) -> str | None:
    """'person', 'place' or None (not sure) for an English name `m` and its Russian matches."""
    prev = _prev_word(en, m.start())
    after = en[m.end():]
    nxt = re.match(r"(?:'s)?\s+([a-z]+)", after)
    if prev.lower() in _COMPOUND:
        return None
    person = (prev.lower() in _TITLES
              or (re.fullmatch(r"[A-Z][a-z]+", prev or "") is not None and prev.lower() not in _EN_STOP
                  and prev.lower() not in _NOT_NAMES and en[:m.start()].endswith(prev + " "))
              or (nxt is not None and nxt.group(1) in _SPEECH)
              or any(_prev_word(ru, r.start()).lower() in _RU_PERSON_CUES for r in hits))
    place = (prev.lower() in _PLACE_CUES_EN
             or any(_prev_word(ru, r.start()).lower() in _PLACE_CUES_RU for r in hits))
    if person == place:
        return None
    return "person" if person else "place"


def _name_pairs(en: str, ru: str, capitalised_mid: set[str]) -> list[tuple[re.Match, list[re.Match], str]]:
    """Names both sentences carry: (English match, Russian matches, 'person' or 'place')."""
    out = []
    ru_tokens = [r for r in _RU_NAME_RE.finditer(ru)
                 if ru[r.start() - 1:r.start()] not in ("-", "'", "’") and ru[r.end():r.end() + 1] != "-"
                 and not re.match(r"\s+[А-ЯЁ][а-яё]", ru[r.end():])]
    for m in _EN_NAME_RE.finditer(en):
        word = m.group(0)
        if word.lower() in _EN_STOP or word.lower() in _NOT_NAMES or "-" in word:
            continue
        # only the last word of a multi-word name ("Donald Trump" -> "Trump", not "Victoria Cross")
        if en[m.start() - 1:m.start()] in ("-", "'", "’") or re.match(r"(?:-|\s+[A-Z][a-z])", en[m.end():]):
            continue
        keys = {_key(word), _key(word, w_as_v=True)}
        hits = [r for r in ru_tokens if any(_matches(k, r.group(0)) for k in keys)]
        if not hits:
            continue
        initial = m.start() == len(en) - len(en.lstrip(" \"'«“‘("))
        if initial and all(r.start() == len(ru) - len(ru.lstrip(" \"'«“‘(")) for r in hits) \
                and word not in capitalised_mid:
            continue
        kind = _name_kind(en, m, ru, hits)
        if kind:
            out.append((m, hits, kind))
    return out


def _capitalised_mid(units: list[Unit]) -> set[str]:
    words = set()
    for en_side, _ in units:
        for s in en_side:
            for m in _EN_NAME_RE.finditer(s):
                if m.start() > 0 and s[m.start() - 2:m.start()].strip() not in (".", "!", "?"):
                    words.add(m.group(0))
    return words


def _story_text(units: list[Unit]) -> str:
    return " ".join(s for u in units for side in u for s in side).lower()


def _name_edits(units: list[Unit], rng) -> list[Edit]:
    edits: list[Edit] = []
    text = _story_text(units)
    mid = _capitalised_mid(units)
    for b, unit in enumerate(units):
        if not _is_pair(unit):
            continue
        en, ru = unit[0][0], unit[1][0]
        for m, hits, kind in _name_pairs(en, ru, mid):
            cons = _PLACE_CONS if kind == "place" else _PERSON_CONS
            inv = _PLACE_INV if kind == "place" else _PERSON_INV
            key = _key(m.group(0))
            splits = [_split_ru(r.group(0), key) or _split_ru(r.group(0), _key(m.group(0), True)) for r in hits]
            table = cons if all(splits) else inv
            options = [p for p in table if p[0].lower() not in text and p[1].lower()[:-1] not in text
                       and _key(p[0]) != key]
            if not options:
                continue
            new_en, new_ru = rng.choice(options)
            if rng.random() < 0.5:
                edits.append((b, "en", en[:m.start()] + new_en + en[m.end():]))
            else:
                new = ru
                for r, sp in sorted(zip(hits, splits), key=lambda x: -x[0].start()):
                    repl = new_ru + _RU_ENDINGS[sp[1]] if (sp and table is cons) else new_ru
                    new = new[:r.start()] + repl + new[r.end():]
                edits.append((b, "ru", new))
    return edits


# ------------------------------------------------------------------------------------------------- meaning

_EN_ANTONYMS = [
    ("rose", "fell"), ("rises", "falls"), ("risen", "fallen"), ("increased", "decreased"),
    ("increase", "decrease"), ("increases", "decreases"), ("increasing", "decreasing"), ("higher", "lower"),
    ("highest", "lowest"), ("more than", "less than"), ("before", "after"), ("won", "lost"), ("win", "lose"),
    ("wins", "loses"), ("winning", "losing"), ("accepted", "rejected"), ("approved", "rejected"),
    ("supported", "opposed"), ("supports", "opposes"), ("allowed", "banned"), ("confirmed", "denied"),
    ("opened", "closed"), ("started", "stopped"), ("strong", "weak"), ("stronger", "weaker"), ("best", "worst"),
    ("better", "worse"), ("good", "bad"), ("largest", "smallest"), ("biggest", "smallest"), ("early", "late"),
    ("earlier", "later"), ("always", "never"), ("positive", "negative"), ("success", "failure"),
    ("successful", "unsuccessful"), ("agreed to", "refused to"), ("happy", "unhappy"), ("likely", "unlikely"),
    ("possible", "impossible"), ("easy", "difficult"), ("gained", "lost"), ("raised", "lowered"),
    ("men", "women"), ("man", "woman"), ("boys", "girls"), ("northern", "southern"), ("eastern", "western"),
    ("north", "south"), ("east", "west"), ("oldest", "youngest"), ("older", "younger"), ("public", "private"),
    ("legal", "illegal"), ("arrested", "released"), ("domestic", "foreign"), ("rich", "poor"),
    ("inside", "outside"), ("above", "below"), ("first", "last"), ("cheaper", "more expensive"),
    ("killed", "injured"), ("guilty", "innocent"), ("hot", "cold"), ("full", "empty"),
]
_RU_ANTONYMS: list[tuple[str, str]] = [
    ("больше", "меньше"), ("выше", "ниже"), ("раньше", "позже"), ("рано", "поздно"), ("лучше", "хуже"),
    ("вырос", "упал"), ("выросла", "упала"), ("выросло", "упало"), ("выросли", "упали"),
]
for _a, _b in (("увеличил", "сократил"), ("выиграл", "проиграл"), ("одобрил", "отклонил"),
               ("поддержал", "осудил"), ("разрешил", "запретил"), ("открыл", "закрыл"), ("арестовал", "освободил"),
               ("повысил", "понизил"), ("принял", "отклонил")):
    for _e in ("", "а", "о", "и"):
        _RU_ANTONYMS.append((_a + _e, _b + _e))
_RU_ANTONYMS += [("увеличился", "уменьшился"), ("увеличилась", "уменьшилась"), ("увеличилось", "уменьшилось"),
                 ("увеличились", "уменьшились"), ("погиб", "выжил"), ("погибла", "выжила"), ("погибли", "выжили"),
                 ("погибло", "выжило")]
_HARD_ADJ = ("ый", "ая", "ое", "ые", "ого", "ой", "ым", "ую", "ых", "ыми", "ом", "ее")
_SOFTISH_ADJ = ("ий", "ая", "ее", "ие", "его", "ей", "им", "ую", "их", "ими", "ем")
_SOFT_ADJ = ("ий", "яя", "ее", "ие", "его", "ей", "им", "юю", "их", "ими", "ем")
for _a, _b, _ends in (("сильн", "слаб", _HARD_ADJ), ("богат", "бедн", _HARD_ADJ),
                      ("положительн", "отрицательн", _HARD_ADJ), ("успешн", "неудачн", _HARD_ADJ),
                      ("северн", "южн", _HARD_ADJ), ("восточн", "западн", _HARD_ADJ),
                      ("частн", "государственн", _HARD_ADJ), ("возможн", "невозможн", _HARD_ADJ),
                      ("легальн", "нелегальн", _HARD_ADJ), ("лучш", "худш", _SOFTISH_ADJ),
                      ("старш", "младш", _SOFTISH_ADJ), ("внутренн", "внешн", _SOFT_ADJ),
                      ("высок", "низк", ("ий", "ая", "ое", "ие", "ого", "ой", "им", "ую", "их", "ими", "ом"))):
    for _e in _ends:
        _RU_ANTONYMS.append((_a + _e, _b + _e))
for _e in ("а", "ы", "е", "у", "ой", "", "ам", "ами", "ах"):
    _RU_ANTONYMS.append(("мужчин" + _e, "женщин" + _e))
for _e in ("е", "я", "ю", "ем", "и"):
    _RU_ANTONYMS.append(("увеличени" + _e, "сокращени" + _e))
    _RU_ANTONYMS.append(("повышени" + _e, "снижени" + _e))

_EN_AUX = ("is", "are", "was", "were", "will", "would", "can", "could", "should", "must", "may", "might")
_EN_PERFECT = ("has", "have", "had")
_EN_PAST = {  # simple past forms that are rarely participles after a subject
    "said": "say", "told": "tell", "announced": "announce", "confirmed": "confirm", "agreed": "agree",
    "took": "take", "went": "go", "came": "come", "gave": "give", "knew": "know", "thought": "think",
    "wanted": "want", "decided": "decide", "began": "begin", "saw": "see", "became": "become", "met": "meet",
    "admitted": "admit", "warned": "warn", "insisted": "insist", "revealed": "reveal", "claimed": "claim",
    "believed": "believe", "promised": "promise", "explained": "explain", "tried": "try",
}
_EN_NOT_AFTER = set(_EN_AUX) | set(_EN_PERFECT) | {"be", "been", "being", "to", "get", "got", "having", "not",
                                                   "also", "who", "which", "that", "and", "or", "never"}
_EN_3SG = {
    "says": "say", "wants": "want", "plans": "plan", "expects": "expect", "believes": "believe",
    "thinks": "think", "knows": "know", "needs": "need", "has": "have", "supports": "support",
    "hopes": "hope", "intends": "intend", "claims": "claim", "admits": "admit", "agrees": "agree",
    "likes": "like", "works": "work", "lives": "live", "plays": "play",
}
_EN_PARTICIPLE = re.compile(r"^(?:\w+(?:ed|en|wn)|been|made|said|told|taken|given|seen|become|found|left|"
                            r"lost|won|gone|put|set|built|held|led|kept|met|paid|run|sent|shown|spent|"
                            r"written|brought|bought|thought|caught|taught|fallen|risen|grown|known|begun)$")
_EN_UNNEG = {"didn't": "did", "doesn't": "does", "don't": "do", "won't": "will", "can't": "can",
             "isn't": "is", "aren't": "are", "wasn't": "was", "weren't": "were", "hasn't": "has",
             "haven't": "have", "hadn't": "had", "couldn't": "could", "wouldn't": "would",
             "shouldn't": "should", "cannot": "can"}

_RU_VERBS: set[str] = {
    "будет", "будут", "может", "могут", "является", "являются", "считает", "считают", "говорит", "говорят",
    "хочет", "хотят", "планирует", "планируют", "намерен", "намерена", "намерены", "собирается",
    "собираются", "знает", "знают", "должен", "должна", "должны", "должно", "нужно", "удалось",
    "поддерживает", "поддерживают", "верит", "верят", "ожидает", "ожидают",
}
for _v in ("сказал", "заявил", "сообщил", "был", "стал", "знал", "хотел", "получил", "решил", "признал",
           "подтвердил", "смог", "сделал", "нашел", "пришел", "ожидал", "планировал", "собирал", "видел",
           "говорил", "считал", "успел", "выступил", "поддержал", "принял", "пытал", "рассказал", "объяснил",
           "отметил", "добавил", "ответил", "обещал", "пообещал", "удалось", "дал", "мог", "ждал", "участвовал",
           "работал", "играл", "хотел", "знал", "понимал", "упомянул", "раскрыл", "объявил"):
    if _v.endswith("л"):
        _RU_VERBS.update({_v, _v + "а", _v + "о", _v + "и"})
    elif _v == "смог" or _v == "мог":
        _RU_VERBS.update({_v, _v + "ла", _v + "ло", _v + "ли"})
    else:
        _RU_VERBS.add(_v)
_RU_VERBS.update({"согласился", "согласилась", "согласились", "пытался", "пыталась", "пытались", "собирался",
                  "собиралась", "собирались", "оказался", "оказалась", "оказались"})
_RU_NEG_IDIOMS = ("не только", "не менее", "не более", "не так", "не раз", "не было", "не смотря", "не то")


def _swap_word(sentence: str, pairs: list[tuple[str, str]], rng) -> str | None:
    sites = []
    for a, b in pairs:
        for src, dst in ((a, b), (b, a)):
            for m in re.finditer(rf"(?<![\w-]){re.escape(src)}(?![\w-])", sentence, flags=re.IGNORECASE):
                sites.append((m.start(), m.end(), dst))
    if not sites:
        return None
    start, end, dst = rng.choice(sorted(set(sites)))
    return sentence[:start] + _cap_like(dst, sentence[start:end]) + sentence[end:]


def _negate_en(sentence: str, rng) -> str | None:
    words = list(re.finditer(r"[A-Za-z']+", sentence))
    sites = []
    for i, m in enumerate(words):
        w = m.group(0)
        low = w.lower()
        nxt = words[i + 1].group(0) if i + 1 < len(words) else ""
        gap = sentence[m.end():words[i + 1].start()] if i + 1 < len(words) else ""
        if low in _EN_UNNEG:
            sites.append((m.start(), m.end(), _cap_like(_EN_UNNEG[low], w)))
        elif low in _EN_AUX + _EN_PERFECT and gap == " " and nxt.lower() == "not":
            sites.append((m.end(), words[i + 1].end(), ""))
        elif low in _EN_AUX and w.islower() and gap == " " and nxt.islower() \
                and nxt not in ("not", "to", "only", "also", "just", "even", "still", "never", "already"):
            sites.append((m.end(), m.end(), " not"))
        elif low in _EN_PERFECT and gap == " " and _EN_PARTICIPLE.match(nxt):
            sites.append((m.end(), m.end(), " not"))
        elif low in _EN_PAST and i > 0 and w.islower() and words[i - 1].group(0).lower() not in _EN_NOT_AFTER:
            sites.append((m.start(), m.end(), "did not " + _EN_PAST[low]))
        elif low in _EN_3SG and i > 0 and w.islower() and words[i - 1].group(0).lower() not in _EN_NOT_AFTER:
            sites.append((m.start(), m.end(), "does not " + _EN_3SG[low]))
    if not sites:
        return None
    start, end, repl = rng.choice(sites)
    return sentence[:start] + repl + sentence[end:]


def _negate_ru(sentence: str, rng) -> str | None:
    sites = []
    low = sentence.lower()
    for m in re.finditer(r"(?<![А-Яа-яЁё])[Нн]е (?=[а-яё])", sentence):
        if not low[m.start():].startswith(_RU_NEG_IDIOMS):
            sites.append((m.start(), m.end(), ""))
    for m in re.finditer(r"(?<![А-Яа-яЁё-])[А-ЯЁа-яё]+(?![А-Яа-яЁё-])", sentence):
        w = m.group(0)
        if w.lower() in _RU_VERBS:
            prev = sentence[max(0, m.start() - 3):m.start()].lower()
            if prev.endswith("не "):
                continue
            if m.start() == 0:
                sites.append((0, m.end(), "Не " + w[0].lower() + w[1:]))
            else:
                sites.append((m.start(), m.start(), "не "))
    if not sites:
        return None
    start, end, repl = rng.choice(sites)
    out = sentence[:start] + repl + sentence[end:]
    if start == 0 and repl == "":
        out = out[:1].upper() + out[1:]
    return out


def _swap_names(en: str, ru: str, side: str, rng) -> str | None:
    pairs = _name_pairs(en, ru, set())
    # distinct names only
    seen, names = set(), []
    for m, hits, kind in pairs:
        if m.group(0) not in seen and kind == "person":
            seen.add(m.group(0))
            names.append((m, hits))
    if len(names) < 2:  # only two persons are swapped: "X sued Y" -> "Y sued X"
        return None
    (m1, h1), (m2, h2) = rng.sample(names, 2)
    if side == "en":
        a, b = m1.group(0), m2.group(0)
        out = re.sub(rf"\b({re.escape(a)}|{re.escape(b)})\b", lambda x: b if x.group(0) == a else a, en)
        return out if out != en else None
    # Russian: only when the two words are written in the same form (no case to repair)
    r1, r2 = h1[0], h2[0]
    if r1.start() == r2.start():
        return None
    e1 = _split_ru(r1.group(0), _key(m1.group(0)))
    e2 = _split_ru(r2.group(0), _key(m2.group(0)))
    if not (e1 and e2 and e1[1] == e2[1]):
        return None
    first, second = sorted((r1, r2), key=lambda r: r.start())
    return ru[:first.start()] + second.group(0) + ru[first.end():second.start()] + first.group(0) + ru[second.end():]


_STOP_EN = set("the a an and or of to in on at for with by from that this is was were are be been has have had "
               "it its he she they his her their we our you not as but said says will would".split())


def _content(sentence: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-zа-яё]+", sentence.lower()) if len(w) > 3 and w not in _STOP_EN}


def _balanced(s: str) -> bool:
    return (s.count('"') % 2 == 0 and s.count("«") == s.count("»") and s.count("“") == s.count("”")
            and s[:1].isupper() and s[-1:] in ".!?\"»”")


def _from_other(sentence: str, side: str, story_words: set[str], pool: Sequence[Story], rng) -> str | None:
    """An on-topic sentence of similar length from the other stories closest in vocabulary."""
    target = len(sentence)
    mine = _content(sentence)

    def lines(o: Story) -> tuple[str, ...]:
        return o.en if side == "en" else o.ru

    near = sorted(pool, key=lambda o: (-len(_content(" ".join(lines(o))) & story_words), o.name))[:6]
    cands = []
    for o in near:
        for i, s in enumerate(lines(o)[1:], 1):
            if 0.7 * target <= len(s) <= 1.4 * target and s.strip() != sentence.strip() and _balanced(s):
                cands.append((len(_content(s) & mine), o.name, i, s))
    if not cands:
        return None
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    return rng.choice(cands[:4])[3]


_STRATEGIES = ("negate", "antonym", "swap", "other")


def _meaning_edit(strategy: str, en: str, ru: str, side: str, pool: Sequence[Story], rng,
                  story_words: dict[str, set[str]]) -> str | None:
    sentence = en if side == "en" else ru
    if strategy == "negate":
        return _negate_en(sentence, rng) if side == "en" else _negate_ru(sentence, rng)
    if strategy == "antonym":
        return _swap_word(sentence, _EN_ANTONYMS if side == "en" else _RU_ANTONYMS, rng)
    if strategy == "swap":
        return _swap_names(en, ru, side, rng)
    return _from_other(sentence, side, story_words[side], pool, rng)


def _plant_meaning(story: Story, units: list[Unit], rng, pool: Sequence[Story]) -> Plant | None:
    beads = [i for i in range(1, len(units)) if _is_pair(units[i])] or \
            [i for i in range(len(units)) if _is_pair(units[i])]
    if not beads:
        return None
    rng.shuffle(beads)
    weights = {"negate": 3, "antonym": 3, "swap": 1, "other": 3}
    first = rng.choices(_STRATEGIES, weights=[weights[s] for s in _STRATEGIES])[0]
    order = [first] + [s for s in ("antonym", "negate", "other", "swap") if s != first]
    side0 = rng.choice(_SIDES)
    story_words = {"en": _content(" ".join(story.en)), "ru": _content(" ".join(story.ru))}
    for strategy in order:
        for side in (side0, "ru" if side0 == "en" else "en"):
            for b in beads:
                en, ru = units[b][0][0], units[b][1][0]
                new_text = _meaning_edit(strategy, en, ru, side, pool, rng, story_words)
                if new_text and new_text.strip() != (en if side == "en" else ru).strip():
                    new = list(units)
                    new[b] = ((new_text,), (ru,)) if side == "en" else ((en,), (new_text,))
                    return _make(story, new, "meaning", side, b, en if side == "en" else ru)
    return None
