"""The parking permit and household return demo forms: their routes, exits and rules across
answers on screen, as a resident meets them."""

from __future__ import annotations

from test_journey_rules import begin, post


def test_parking_permit_outside_a_zone_is_told_no_permit_is_needed(client):
    begin(client, "parking-permit")
    response = post(client, "/forms/parking-permit/zone", {"zone": "no-zone"})
    assert response.headers["Location"].endswith("/forms/parking-permit/cannot-continue/not-in-zone")


def test_parking_permit_company_car_needs_the_employers_letter(client):
    begin(client, "parking-permit")
    post(client, "/forms/parking-permit/zone", {"zone": "zone-b"})
    renewal = post(client, "/forms/parking-permit/renewal", {"renewal": "renewal-same"})
    assert renewal.headers["Location"].endswith("/forms/parking-permit/permit-number")
    post(client, "/forms/parking-permit/permit-number", {"permit-number": "RP 123 456"})
    vehicle = {"registration": "AB12 CDE", "keeper": "employer"}
    unanswered = post(client, "/forms/parking-permit/vehicles/1", vehicle).get_data(as_text=True)
    assert '<a href="#employer-letter">Select whether you have a letter from your employer</a>' in unanswered
    refused = post(client, "/forms/parking-permit/vehicles/1", {**vehicle, "employer-letter": "no"})
    assert refused.status_code == 400
    assert ("You need a letter from your employer for a company car. Get one before you apply"
            in refused.get_data(as_text=True))
    kept = post(client, "/forms/parking-permit/vehicles/1", {**vehicle, "employer-letter": "yes"})
    assert kept.status_code == 302
    # A renewal with nothing changed skips the proof of address.
    done = post(client, "/forms/parking-permit/vehicles", {"add-another": "no"})
    assert done.headers["Location"].endswith("/forms/parking-permit/start-date")


def test_household_return_living_alone_skips_the_people_and_a_student_must_be_17(client):
    begin(client, "household-changes")
    post(client, "/forms/household-changes/account-number", {"account-number": "1912 3456"})
    alone = post(client, "/forms/household-changes/lives-alone", {"lives-alone": "yes"})
    assert alone.headers["Location"].endswith("/forms/household-changes/date-of-change")
    post(client, "/forms/household-changes/lives-alone", {"lives-alone": "no"})
    person = {"person-name": "Ade Example", "person-date-of-birth-day": "1", "person-date-of-birth-month": "1",
              "person-date-of-birth-year": "2015", "person-status": "student", "course-end-day": "1",
              "course-end-month": "7", "course-end-year": "2027"}
    young = post(client, "/forms/household-changes/people/1", person)
    assert young.status_code == 400
    assert "A full-time student must be 17 or over" in young.get_data(as_text=True)
    person["person-date-of-birth-year"] = "2005"
    assert post(client, "/forms/household-changes/people/1", person).status_code == 302
    # A student in the list: the student certificate question is asked next.
    after = post(client, "/forms/household-changes/people", {"add-another": "no"})
    assert after.headers["Location"].endswith("/forms/household-changes/student-evidence")
