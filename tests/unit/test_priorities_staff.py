"""Staff and priorities: the invite button, the votes, the volunteers, and the JSON API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.staff.priorities import volunteer_reference
from bot.staff.security import digest, new_secret
from bot.store import staff_accounts
from bot.store.database import session_scope
from bot.store.schema import OutboxMessage
from tests.unit.chat import Chat
from tests.unit.test_priorities import add_person, close_with_themes
from tests.unit.test_staff_app import StaffVisitor, add_account

PAGE = "/consultations/hostel-food/priorities"


pytestmark = pytest.mark.usefixtures("quick_password_hashing")


@pytest.fixture()
def staff(engine) -> StaffVisitor:
    add_account(engine, "sam@example.org", "staff")
    visitor = StaffVisitor(engine)
    visitor.log_in("sam@example.org")
    return visitor


def owed_count(engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count(OutboxMessage.id))).scalar_one()


def vote_and_join(engine, person: str, picks: list[str], joins: bool) -> None:
    chat = Chat(engine, participant_id=person, sender_id=person)
    chat.say("hi", "greet")
    for label in picks:
        chat.tap(label)
    chat.tap("That's all")
    chat.tap("Yes" if joins else "No")


def test_an_open_consultation_says_why_nobody_can_be_invited_yet(engine, staff) -> None:
    add_person(engine, "p-1")

    page = staff.get(PAGE)

    assert page.status_code == 200
    assert "Close the consultation first." in page.text
    assert "Invite people to choose priorities" not in page.text


def test_the_button_says_how_many_people_will_be_asked_and_inviting_owes_messages(
    engine, staff
) -> None:
    for person in ("p-1", "p-2"):
        add_person(engine, person)
    add_person(engine, "no-updates", updates=False)
    close_with_themes(engine)

    page = staff.get(PAGE)
    assert "Invite people to choose priorities (2 people will be asked)" in page.text

    response = staff.submit(PAGE, f"{PAGE}/invite", {"details": "", "paid": "yes"})

    assert response.status_code == 303
    assert response.headers["location"].endswith("/priorities?done=invited")
    assert owed_count(engine) == 2
    after = staff.get(f"{PAGE}?done=invited").text
    assert "The invitations are owed. Each person gets one message." in after
    assert "Everyone who answered and agreed to updates has been asked." in after


def test_long_panel_words_get_a_gentle_warning_not_a_block(engine, staff) -> None:
    add_person(engine, "p-1")
    close_with_themes(engine)
    long_words = (
        "The panel is a group of people who meet with managers and commissioners at the "
        "town hall to talk about every part of the service."
    )

    staff.submit(PAGE, f"{PAGE}/invite", {"details": long_words})

    assert owed_count(engine) == 1
    assert "longer than 15 words" in staff.get(PAGE).text


def test_votes_and_volunteers_show_without_raw_ids(engine, staff) -> None:
    for person in ("person-a", "person-b"):
        add_person(engine, person)
    close_with_themes(engine)
    staff.submit(PAGE, f"{PAGE}/invite", {})
    vote_and_join(engine, "person-a", ["More fruit", "Halal meals"], joins=True)
    vote_and_join(engine, "person-b", ["More fruit"], joins=False)

    page = staff.get(PAGE).text

    assert "Bar chart. More fruit: 2 votes; Halal meals: 1 vote;" in page
    assert volunteer_reference("person-a") in page
    assert volunteer_reference("person-b") not in page
    assert "person-a" not in page and "person-b" not in page
    assert ">rest<" in page


def test_the_api_gives_votes_volunteers_and_invites(engine, staff) -> None:
    add_person(engine, "person-a")
    token = new_secret()
    with session_scope(engine) as session:
        account = staff_accounts.get_account_by_email(session, "sam@example.org")
        staff_accounts.add_api_token(session, account, digest(token))
    headers = {"Authorization": f"Bearer {token}"}
    api = f"/api{PAGE}"

    refused = staff.post(f"{api}/invite", json={}, headers=headers)
    assert refused.status_code == 409
    assert "Close the consultation first" in refused.json()["error"]

    close_with_themes(engine)
    invited = staff.post(f"{api}/invite", json={"panel_paid": True}, headers=headers)
    assert invited.status_code == 201
    assert invited.json()["invited"] == 1
    vote_and_join(engine, "person-a", ["Halal meals"], joins=True)

    summary = staff.get(api, headers=headers).json()
    assert summary["invited"] == 1
    assert summary["votes"][0] == {"theme": "Halal meals", "votes": 1}
    assert summary["panel"]["paid"] is True
    [volunteer] = summary["panel"]["volunteers"]
    assert volunteer["reference"] == volunteer_reference("person-a")
    assert volunteer["channel"] == "rest"
    assert "person-a" not in str(summary)


def test_inviting_again_with_no_panel_words_keeps_the_staffs_words(engine, staff) -> None:
    """Issue #17: a second call with {} used to set the words to none and paid to false."""
    for person in ("person-a", "person-b", "person-c"):
        add_person(engine, person)
    token = new_secret()
    with session_scope(engine) as session:
        account = staff_accounts.get_account_by_email(session, "sam@example.org")
        staff_accounts.add_api_token(session, account, digest(token))
    headers = {"Authorization": f"Bearer {token}"}
    api = f"/api{PAGE}"
    close_with_themes(engine)
    words = {"panel_details": "We meet twice a year at the hostel.", "panel_paid": True}

    assert staff.post(f"{api}/invite", json=words, headers=headers).json()["invited"] == 3
    again = staff.post(f"{api}/invite", json={}, headers=headers)

    assert again.json()["invited"] == 0
    panel = again.json()["priorities"]["panel"]
    assert (panel["details"], panel["paid"]) == ("We meet twice a year at the hostel.", True)
