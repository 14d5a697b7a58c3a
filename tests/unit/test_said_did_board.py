"""The public "You said, we did" board: what it shows, in which language, and what it never
shows (themes from too few people, anything unpublished, anyone's details)."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ElementTree
from html import unescape

import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.staff.board import create_app
from bot.store import board as board_store
from bot.store import participants as participant_store
from bot.store.database import session_scope
from bot.web import Part
from tests.support.board import (
    BIG_THEME,
    DRAFT_OUTCOME,
    DRAFT_THEME,
    PUBLISHED_OUTCOME,
    SECRET_DRAFT,
    SECRET_SMALL,
    SMALL_THEME,
    leaks,
    seed_board,
)
from tests.unit.test_staff_app import StaffVisitor, add_account, staff_settings

pytestmark = pytest.mark.usefixtures("quick_password_hashing")


def board_client(engine: Engine, **settings: object) -> TestClient:
    app = create_app(staff_settings(**settings), engine)
    return TestClient(Starlette(routes=[Part("/said-did", app=app)]), follow_redirects=False)


def text_of(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    return unescape(response.text)


PAGES = (
    "/said-did/",
    "/said-did/hostel-food",
    "/said-did/hostel-food/print",
    "/said-did/feed.atom",
)


def test_the_board_says_what_people_said_what_was_done_its_status_date_and_who_decided(
    engine: Engine,
) -> None:
    seed_board(engine)
    client = board_client(engine)
    for path in PAGES[:3]:
        page = text_of(client, path)
        assert "Food at the hostel" in page, path
        assert PUBLISHED_OUTCOME in page, path
        assert BIG_THEME in page and "6 people said this" in page, path
        assert "Done" in page and "10 February 2027" in page, path
        assert "Who decided" in page, path


def test_nothing_below_the_threshold_or_unpublished_is_shown_anywhere(engine: Engine) -> None:
    seed_board(engine)
    client = board_client(engine)
    for path in PAGES:
        page = text_of(client, path)
        for hidden in (SMALL_THEME, SECRET_SMALL, DRAFT_THEME, SECRET_DRAFT, DRAFT_OUTCOME):
            assert hidden not in page, (path, hidden)
    assert "We do not show them" in text_of(client, "/said-did/hostel-food")


def test_the_threshold_is_a_setting(engine: Engine) -> None:
    seed_board(engine)
    assert SMALL_THEME in text_of(board_client(engine, public_min_people=3), "/said-did/")
    assert BIG_THEME not in text_of(board_client(engine, public_min_people=7), "/said-did/")


def test_no_page_holds_an_id_an_address_or_a_masked_word(engine: Engine) -> None:
    seeded = seed_board(engine)
    with session_scope(engine) as session:
        board_store.set_picks(
            session,
            seeded.big_theme_id,
            [seeded.personal_response_id, seeded.plain_response_id],
            "staff@example.org",
        )
    client = board_client(engine)
    for path in PAGES:
        page = text_of(client, path)
        assert leaks(page, engine) == [], path
    page = text_of(client, "/said-did/hostel-food")
    assert "hot food please, I am [name] at [place], ring [phone]" in page
    assert "hot food late please" in page


def test_only_quotes_staff_picked_are_shown(engine: Engine) -> None:
    seeded = seed_board(engine)
    client = board_client(engine)
    assert "soup at night" not in text_of(client, "/said-did/hostel-food")
    with session_scope(engine) as session:
        board_store.set_picks(session, seeded.big_theme_id, [seeded.plain_response_id], "s")
    assert "“hot food late please”" in text_of(client, "/said-did/hostel-food")
    with session_scope(engine) as session:
        participant_store.delete_participant(session, "board-big-1")
    page = text_of(client, "/said-did/hostel-food")
    assert "hot food late please" not in page
    assert BIG_THEME in page, "five people are still enough"
    with session_scope(engine) as session:
        participant_store.delete_participant(session, "board-big-2")
    assert BIG_THEME not in text_of(client, "/said-did/hostel-food"), "four are too few"


def test_polish_and_romanian_pages_with_staff_translations(engine: Engine) -> None:
    seed_board(engine, translations={"pl": {"what_was_done": "Kuchnia wydaje zupę do 22."}})
    client = board_client(engine)
    polish = text_of(client, "/said-did/hostel-food?lang=pl")
    assert '<html lang="pl"' in polish
    assert "Co zrobiliśmy" in polish and "Kuchnia wydaje zupę do 22." in polish
    assert "10 lutego 2027" in polish and "Zrobione" in polish
    romanian = text_of(client, "/said-did/?lang=ro")
    assert "Ce am făcut" in romanian and PUBLISHED_OUTCOME in romanian
    assert "10 februarie 2027" in romanian
    english = text_of(client, "/said-did/?lang=xx")
    assert '<html lang="en"' in english
    for code in ("pl", "ro"):
        assert f'href="/said-did/?lang={code}"' in english


def test_the_print_page_has_a_qr_code_the_chat_link_and_telegram_where_set(engine: Engine) -> None:
    seed_board(engine)
    page = text_of(board_client(engine), "/said-did/hostel-food/print")
    assert 'src="data:image/svg+xml' in page and "http://testserver/chat/" in page
    assert "t.me" not in page
    page = text_of(
        board_client(engine, telegram_bot_username="sayso_bot", public_url="https://s.example"),
        "/said-did/hostel-food/print",
    )
    assert "https://s.example/chat/" in page
    assert "https://t.me/sayso_bot?start=hostel-food" in page
    assert 'class="box"' in page


def test_the_feed_is_atom_with_one_entry_per_published_outcome(engine: Engine) -> None:
    seed_board(engine)
    response = board_client(engine).get("/said-did/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 1
    assert PUBLISHED_OUTCOME in entries[0].find(f"{atom}summary").text


def test_bad_input_gets_a_plain_answer(engine: Engine) -> None:
    client = board_client(engine)
    assert "Nothing is published yet" in text_of(client, "/said-did/")
    for path in ("/said-did/no-such-thing", "/said-did/no-such-thing/print", "/said-did/a/b/c"):
        assert "There is no topic with that name" in text_of(client, path, 404)
    assert "Nothing is published for this topic yet" in text_of(client, "/said-did/hostel-food")
    root = ElementTree.fromstring(client.get("/said-did/feed.atom").content)
    assert root.findall("{http://www.w3.org/2005/Atom}entry") == []


def test_staff_pick_quotes_on_the_theme_page_and_in_the_api(engine: Engine) -> None:
    seeded = seed_board(engine)
    add_account(engine, "sam@example.org", "staff")
    staff = StaffVisitor(engine)
    staff.log_in("sam@example.org")
    theme_page = f"/themes/{seeded.big_theme_id}"
    assert staff.get(theme_page).text.count("Quotes for the public board") == 1
    done = staff.submit(
        theme_page,
        f"{theme_page}/board-quotes",
        {"board_ids": [str(seeded.plain_response_id)]},
    )
    assert done.status_code == 303
    with session_scope(engine) as session:
        assert board_store.picked_ids(session, seeded.big_theme_id) == {seeded.plain_response_id}
    refused = staff.submit(theme_page, f"{theme_page}/board-quotes", {"board_ids": ["999999"]})
    assert refused.status_code == 400 and "Choose answers from this theme" in refused.text

    from bot.staff import security
    from bot.store import staff_accounts

    token = security.new_secret()
    with session_scope(engine) as session:
        account = staff_accounts.get_account_by_email(session, "sam@example.org")
        staff_accounts.add_api_token(session, account, security.digest(token))
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/staff/api/themes/{seeded.big_theme_id}/board-quotes"
    put = staff.client.put(
        path, json={"response_ids": [seeded.personal_response_id]}, headers=headers
    )
    assert put.status_code == 200, put.text
    [quote] = put.json()["quotes"]
    assert quote["text"] == "hot food please, I am [name] at [place], ring [phone]"
    bad = staff.client.put(path, json={"response_ids": "x"}, headers=headers)
    assert bad.status_code == 422


def test_settings_default_to_five_people_and_28_days() -> None:
    from bot.config import Settings

    fields = {item.name: item.default for item in dataclasses.fields(Settings)}
    assert fields["public_min_people"] == 5 and fields["follow_up_days"] == 28
