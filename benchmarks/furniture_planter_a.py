"""Planter "a": the furniture of five outlets' pages, for benchmarks.learned_furniture.

Written for this benchmark, in the manner of each outlet's English and Russian pages, and not taken from the
furniture bank (``alignment/pipeline/lexicon/furniture/``), which the detector is built on. Each outlet has blocks of
lines per language, each carried by a share of its stories: some lines are the same in every story (a donation
appeal, a newsletter box, a legal label), some recur now and then (a byline, a reading time), and some are the
story's own (another story's headline under "Read more", a dateline, the time of an update), which a collection
must never learn.

    OUTLETS: list[str]
    plant(outlet, story_no, rng) -> {"en": [(place, lines), ...], "ru": [...]}, place in "top", "between", "bottom"
"""

from __future__ import annotations

import random

# (place, share of the stories, lines); a line's {fields} are filled for each story (see _fill).
Block = tuple[str, float, tuple[str, ...]]

FURNITURE: dict[str, dict[str, list[Block]]] = {
    "meduza": {
        "en": [
            ("top", 0.8, ("Photo: {photo}",)),
            ("between", 0.5, ("The Real Russia. Today.",
                              "Our English-language newsletter lands in your inbox every weekday evening.",
                              "Your email address", "Sign me up")),
            ("between", 0.5, ("Keep reading", "{headline}", "{headline}")),
            ("bottom", 0.9, ("Russia's censors want us gone. You can keep us going.",
                             "Meduza runs on reader donations, not on grants from governments.",
                             "Give monthly", "Give once", "Chip in now")),
            ("bottom", 0.4, ("Reporting by {author}", "Edited by {editor}")),
        ],
        "ru": [
            ("top", 0.7, ("Минюст считает «Медузу» «иноагентом». Мы с этим не согласны.",)),
            ("top", 0.8, ("Фотография: {photo}",)),
            ("between", 0.5, ("Вечерняя рассылка «Медузы»: главное за день — в одном письме", "Ваш e-mail",
                              "Подписаться")),
            ("between", 0.5, ("Что еще почитать", "{headline}", "{headline}")),
            ("bottom", 0.9, ("Нас пытаются заглушить. Вы можете помочь нам работать дальше.",
                             "«Медуза» существует на пожертвования читателей.", "Ежемесячно", "Разово",
                             "Помочь «Медузе»")),
            ("bottom", 0.4, ("Текст: {author}",)),
        ],
    },
    "the-bell": {
        "en": [
            ("top", 0.4, ("By {author}",)),
            ("top", 0.6, ("{minutes}-minute read",)),
            ("between", 0.6, ("Sign up for The Bell's free Friday briefing on the Russian economy.", "Email address",
                              "Subscribe")),
            ("bottom", 0.8, ("Independent business journalism costs money.",
                             "Back The Bell with a monthly contribution.", "$5", "$15", "Pick an amount")),
            ("bottom", 0.5, ("More from The Bell", "{headline}")),
            ("bottom", 0.7, ("The Bell is on Telegram — join our channel for daily updates.",)),
        ],
        "ru": [
            ("top", 0.4, ("Автор: {author}",)),
            ("top", 0.6, ("Время на чтение: {minutes} минут",)),
            ("between", 0.6, ("Рассылка The Bell о деньгах и бизнесе — каждую пятницу", "Электронная почта",
                              "Подписаться")),
            ("bottom", 0.8, ("Независимая деловая журналистика стоит денег.",
                             "Поддержите The Bell ежемесячным взносом.", "500 ₽", "1000 ₽", "Выбрать сумму")),
            ("bottom", 0.5, ("Еще из The Bell", "{headline}")),
            ("bottom", 0.7, ("Подписывайтесь на Telegram-канал The Bell",)),
        ],
    },
    "tass": {
        "en": [
            ("top", 0.9, ("MOSCOW, {date}. /TASS/.",)),
            ("top", 0.5, ("Updated at {time}",)),
            ("between", 0.5, ("Also read", "{headline}")),
            ("bottom", 0.6, ("Get TASS news on your phone: download our app.",)),
            ("bottom", 0.8, ("© TASS news agency, all rights reserved.", "Any reproduction must credit TASS.")),
        ],
        "ru": [
            ("top", 0.9, ("МОСКВА, {дата}. /ТАСС/.",)),
            ("top", 0.5, ("Обновлено в {time}",)),
            ("between", 0.5, ("Также по теме", "{headline}")),
            ("bottom", 0.6, ("Установите приложение ТАСС, чтобы первыми узнавать новости",)),
            ("bottom", 0.5, ("Происшествия · Регионы · Общество",)),
            ("bottom", 0.8, ("© ИА ТАСС. Перепечатка только с активной ссылкой на источник.",)),
        ],
    },
    "dw": {
        "en": [
            ("top", 0.6, ("Image: {photo}",)),
            ("top", 0.7, ("Listen to this article", "{length}")),
            ("between", 0.5, ("Related content", "{headline}", "{headline}")),
            ("bottom", 0.6, ("Edited by: {author}",)),
            ("bottom", 0.8, ("Get DW's weekly roundup of German and European affairs.", "Subscribe to the newsletter")),
            ("bottom", 0.5, ("Send us your feedback",)),
        ],
        "ru": [
            ("top", 0.6, ("Снимок: {photo}",)),
            ("top", 0.7, ("Слушать статью", "{length}")),
            ("between", 0.5, ("Еще материалы по теме", "{headline}", "{headline}")),
            ("bottom", 0.6, ("Редактор: {author}",)),
            ("bottom", 0.8, ("Еженедельная рассылка DW о Германии и Европе", "Подписаться на рассылку")),
            ("bottom", 0.6, ("DW на русском — теперь и в WhatsApp",)),
        ],
    },
    "novaya-gazeta-europe": {
        "en": [
            ("top", 0.8, ('Russian authorities have declared Novaya Gazeta Europe an "undesirable" organisation.',
                          "Sharing this article in Russia may carry legal risk.")),
            ("top", 0.5, ("Photo: {photo}",)),
            ("between", 0.5, ("Recommended reading", "{headline}")),
            ("bottom", 0.8, ("We publish without a paywall thanks to people like you.",
                             "Become a regular supporter of Novaya Gazeta Europe.", "Support us")),
            ("bottom", 0.5, ("Our editors pick the week's best stories for you every Sunday.", "Subscribe")),
        ],
        "ru": [
            ("top", 0.8, ("Власти России признали «Новую газету Европа» «нежелательной» организацией.",
                          "Распространение этого материала в России может повлечь ответственность.")),
            ("top", 0.5, ("Фото: {photo}",)),
            ("between", 0.5, ("Рекомендуем прочитать", "{headline}")),
            ("bottom", 0.8, ("Мы работаем без пейвола благодаря таким читателям, как вы.",
                             "Станьте постоянным сторонником «Новой газеты Европа».", "Поддержать")),
            ("bottom", 0.5, ("Лучшие тексты недели — по воскресеньям в вашей почте.", "Подписаться")),
        ],
    },
}
OUTLETS = sorted(FURNITURE)

# Other stories' headlines: an event and a city, 400 of them a language, so that a collection's "Read more" lines
# almost never repeat.
EVENTS = {
    "en": ("Rents climb again", "Hospitals run short of nurses", "A new metro line opens",
           "Teachers protest over unpaid wages", "Bread prices hit a record", "Police detain a local activist",
           "A court jails two journalists", "Power cuts hit thousands of homes", "The mayor calls a snap election",
           "A flood forces residents out of their homes", "Students rally against a new curfew",
           "A factory fire kills three workers", "Officials ban a rock concert",
           "Drivers queue for hours at petrol stations", "A heatwave breaks a 50-year record",
           "The oldest cinema closes its doors", "Migrant workers face new checks",
           "A bridge collapse halts river traffic", "Farmers pour away milk in protest",
           "Doctors warn of a measles outbreak"),
    "ru": ("Аренда жилья снова дорожает", "В больницах не хватает медсестер", "Открылась новая линия метро",
           "Учителя протестуют из-за невыплаты зарплат", "Хлеб подорожал до рекорда",
           "Полиция задержала местного активиста", "Суд приговорил двух журналистов к заключению",
           "Тысячи домов остались без света", "Мэр объявил досрочные выборы",
           "Наводнение вынудило жителей покинуть дома", "Студенты вышли против нового комендантского часа",
           "При пожаре на заводе погибли трое рабочих", "Власти запретили рок-концерт",
           "Водители часами стоят в очередях на заправках", "Жара побила рекорд полувековой давности",
           "Закрылся старейший кинотеатр", "Мигрантов ждут новые проверки",
           "Обрушение моста остановило движение по реке", "Фермеры выливают молоко в знак протеста",
           "Врачи предупреждают о вспышке кори"),
}
CITIES = {
    "en": ("Kazan", "Perm", "Tomsk", "Samara", "Irkutsk", "Tula", "Omsk", "Yakutsk", "Murmansk", "Sochi",
           "Vladivostok", "Tver", "Ufa", "Chita", "Kursk", "Barnaul", "Norilsk", "Pskov", "Kaliningrad", "Khabarovsk"),
    "ru": ("Казани", "Перми", "Томске", "Самаре", "Иркутске", "Туле", "Омске", "Якутске", "Мурманске", "Сочи",
           "Владивостоке", "Твери", "Уфе", "Чите", "Курске", "Барнауле", "Норильске", "Пскове", "Калининграде",
           "Хабаровске"),
}
PEOPLE = {
    "en": ("Anna Sokolova", "Pavel Orlov", "Maria Kuznetsova", "Ilya Zaitsev", "Olga Belova", "Denis Frolov"),
    "ru": ("Анна Соколова", "Павел Орлов", "Мария Кузнецова", "Илья Зайцев", "Ольга Белова", "Денис Фролов"),
}
AGENCIES = ("Reuters", "AP", "AFP", "EPA", "Scanpix")
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
}


def _fill(line: str, lang: str, rng: random.Random, day: tuple[int, int, str]) -> str:
    """The line with its fields filled for one story: the date and the time are the story's (``day``: month, day,
    time), the same in both editions; the rest is drawn afresh for each field."""
    people = PEOPLE[lang]
    month, date, clock = day
    fields = {
        "headline": lambda: (f"{rng.choice(EVENTS['en'])} in {rng.choice(CITIES['en'])}" if lang == "en"
                             else f"{rng.choice(EVENTS['ru'])} в {rng.choice(CITIES['ru'])}"),
        "author": lambda: rng.choice(people),
        "editor": lambda: rng.choice(people),
        "photo": lambda: f"{rng.choice(people)} / {rng.choice(AGENCIES)}",
        "minutes": lambda: str(rng.randint(5, 9)),
        "length": lambda: f"{rng.randint(2, 9):02d}:{rng.randint(0, 59):02d}",
        "time": lambda: clock,
        "date": lambda: f"{MONTHS['en'][month]} {date}",
        "дата": lambda: f"{date} {MONTHS['ru'][month]}",
    }
    for name, value in fields.items():
        while "{" + name + "}" in line:
            line = line.replace("{" + name + "}", value(), 1)
    return line


def plant(outlet: str, story_no: int, rng: random.Random) -> dict[str, list[tuple[str, list[str]]]]:
    """The furniture of story ``story_no`` of ``outlet``, on each side: (place, lines) per block it carries."""
    day = (rng.randrange(12), rng.randint(1, 28), f"{rng.randint(7, 23):02d}:{rng.randint(0, 59):02d}")
    planted: dict[str, list[tuple[str, list[str]]]] = {}
    for lang, blocks in FURNITURE[outlet].items():
        planted[lang] = [(place, [_fill(line, lang, rng, day) for line in lines])
                         for place, share, lines in blocks if rng.random() < share]
    return planted
