"""Operators: set-up, log-in, roles, lockout and the recovery key."""

from __future__ import annotations

import pytest
from helpers.security import ORGANIZER, ORGANIZER_SECRET, PROMOTER, PROMOTER_PIN
from sqlalchemy import select, update

from station.errors import StationError
from station.security import audit, operators
from station.security.keyslots import KIND_RECOVERY
from station.security.operators import (
    LOCK_DELAYS_S,
    MAX_FAILURES,
    can,
    check_secret,
    login,
)
from station.security.operators import (
    ORGANIZER as ORG,
)
from station.security.operators import (
    PROMOTER as PRO,
)
from station.store.database import open_store
from station.store.models import KeySlot, Operator, StationIdentity


def _fail(store, name, times, clock):
    keys = []
    for _ in range(times):
        with pytest.raises(StationError) as err:
            login(store, name, "000999", clock=clock)
        keys.append(err.value.key)
    return keys


# -- permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["signup", "checkin", "draw", "view_masked"])
def test_promoters_do_booth_work(action):
    assert can(PRO, action) and can(ORG, action)


@pytest.mark.parametrize("action", ["import", "export", "sync", "unmask", "operators", "settings"])
def test_only_organizers_do_office_work(action):
    assert can(ORG, action) and not can(PRO, action)


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        can(ORG, "launch")


# -- secret rules -----------------------------------------------------------------------


def test_promoter_pin_is_six_digits_or_more():
    assert check_secret(PRO, "380517") == "380517"
    with pytest.raises(StationError) as err:
        check_secret(PRO, "38051")
    assert err.value.key == "pin_too_short"


def test_promoter_pin_is_digits_only():
    with pytest.raises(StationError) as err:
        check_secret(PRO, "38a517")
    assert err.value.key == "pin_digits_only"


@pytest.mark.parametrize("pin", ["123456", "111111", "987654", "121212"])
def test_simple_pins_are_refused(pin):
    with pytest.raises(StationError) as err:
        check_secret(PRO, pin)
    assert err.value.key == "secret_too_simple"


def test_organizer_passphrase_is_ten_characters_or_more():
    with pytest.raises(StationError) as err:
        check_secret(ORG, "短密码12345")
    assert err.value.key == "passphrase_too_short"
    assert check_secret(ORG, "长安镇饭堂2026年")


# -- set-up and log-in -------------------------------------------------------------------


def test_first_organizer_gets_a_recovery_key(store, recovery_key):
    assert len(recovery_key.replace("-", "")) == 48
    with store.session() as s:
        assert s.scalars(select(KeySlot).where(KeySlot.kind == KIND_RECOVERY)).first() is not None


def test_station_is_set_up_only_once(store, recovery_key):
    with pytest.raises(StationError) as err:
        operators.create_first_organizer(store, "另一人", "另一句很长的密码口令")
    assert err.value.key == "operators_exist"


def test_login_before_set_up_says_to_set_up(store):
    with pytest.raises(StationError) as err:
        login(store, ORGANIZER, ORGANIZER_SECRET)
    assert err.value.key == "no_operators"


def test_login_returns_a_session_with_the_data_key(store, organizer):
    assert organizer.role == ORG and organizer.name == ORGANIZER
    blob = organizer.cipher.encrypt("members", "phone", "13800138000")
    again = login(store, ORGANIZER, ORGANIZER_SECRET)
    assert again.cipher.decrypt("members", "phone", blob) == "13800138000"


def test_promoter_slot_opens_the_same_data_key(store, organizer, promoter):
    assert promoter.cipher.data_key == organizer.cipher.data_key
    assert promoter.role == PRO


def test_wrong_pin_says_how_many_tries_are_left(store, promoter, clock):
    with pytest.raises(StationError) as err:
        login(store, PROMOTER, "380518", clock=clock)
    assert err.value.key == "login_wrong_secret" and err.value.params["left"] == MAX_FAILURES - 1


def test_unknown_operator_is_named(store, recovery_key):
    with pytest.raises(StationError) as err:
        login(store, "无此人", "380517")
    assert err.value.key == "operator_not_found"


def test_login_and_failed_login_are_audited(store, promoter, clock):
    with pytest.raises(StationError):
        login(store, PROMOTER, "380518", clock=clock)
    actions = [e.action for e in audit.entries(store, limit=None)]
    assert "login" in actions and "login_failed" in actions
    assert audit.verify(store) == []


# -- lockout -------------------------------------------------------------------------------


def test_five_wrong_pins_lock_the_account(store, promoter, clock):
    keys = _fail(store, PROMOTER, MAX_FAILURES, clock)
    assert keys[:4] == ["login_wrong_secret"] * 4 and keys[4] == "login_locked"
    with pytest.raises(StationError) as err:
        login(store, PROMOTER, PROMOTER_PIN, clock=clock)  # even the right PIN waits
    assert err.value.key == "login_locked"


def test_lock_lifts_after_its_delay(store, promoter, clock):
    _fail(store, PROMOTER, MAX_FAILURES, clock)
    clock.advance(LOCK_DELAYS_S[0] - 1)
    with pytest.raises(StationError):
        login(store, PROMOTER, PROMOTER_PIN, clock=clock)
    clock.advance(2)
    assert login(store, PROMOTER, PROMOTER_PIN, clock=clock).name == PROMOTER


def test_lock_delay_grows_with_each_lockout(store, promoter, clock):
    waits = []
    for level in range(len(LOCK_DELAYS_S) + 1):
        _fail(store, PROMOTER, MAX_FAILURES, clock)
        with store.session() as s:
            op = s.scalars(select(Operator).where(Operator.name == PROMOTER)).one()
            waits.append(round((op.locked_until - clock.now).total_seconds()))
        clock.advance(waits[-1])
    assert waits == list(LOCK_DELAYS_S) + [LOCK_DELAYS_S[-1]]


def test_successful_login_resets_the_lock_level(store, promoter, clock):
    _fail(store, PROMOTER, MAX_FAILURES, clock)
    clock.advance(LOCK_DELAYS_S[0])
    login(store, PROMOTER, PROMOTER_PIN, clock=clock)
    _fail(store, PROMOTER, MAX_FAILURES, clock)
    with store.session() as s:
        op = s.scalars(select(Operator).where(Operator.name == PROMOTER)).one()
        assert (op.locked_until - clock.now).total_seconds() == LOCK_DELAYS_S[0]


def test_lockout_survives_reopening_the_store(data_dir, store, promoter, clock):
    _fail(store, PROMOTER, MAX_FAILURES, clock)
    store.close()
    reopened = open_store(data_dir)
    try:
        with pytest.raises(StationError) as err:
            login(reopened, PROMOTER, PROMOTER_PIN, clock=clock)
        assert err.value.key == "login_locked"
    finally:
        reopened.close()


def test_failed_attempt_is_counted_before_the_kdf_runs(store, promoter, clock, monkeypatch):
    import station.security.operators as ops

    def killed(*a, **kw):
        raise KeyboardInterrupt  # the program killed mid-KDF

    monkeypatch.setattr(ops, "open_slot", killed)
    with pytest.raises(KeyboardInterrupt):
        login(store, PROMOTER, "000999", clock=clock)
    with store.session() as s:
        assert s.scalars(select(Operator).where(Operator.name == PROMOTER)).one().failed_count == 1


def test_lock_does_not_affect_other_operators(store, promoter, clock):
    _fail(store, PROMOTER, MAX_FAILURES, clock)
    assert login(store, ORGANIZER, ORGANIZER_SECRET, clock=clock).role == ORG


# -- managing operators -------------------------------------------------------------------


def test_promoter_cannot_add_operators(store, promoter):
    with pytest.raises(StationError) as err:
        operators.add_operator(store, promoter, "新人", PRO, "380517")
    assert err.value.key == "not_permitted"


def test_operator_names_are_unique(store, organizer, promoter):
    with pytest.raises(StationError) as err:
        operators.add_operator(store, organizer, PROMOTER, PRO, "480517")
    assert err.value.key == "operator_exists"


def test_removed_operator_cannot_log_in(store, organizer, promoter):
    operators.remove_operator(store, organizer, PROMOTER)
    with pytest.raises(StationError) as err:
        login(store, PROMOTER, PROMOTER_PIN)
    assert err.value.key == "operator_not_found"
    with store.session() as s:
        assert s.scalars(select(KeySlot).where(KeySlot.operator_id == promoter.operator_id)).first() is None


def test_organizer_cannot_remove_themselves_so_one_always_remains(store, organizer):
    operators.add_operator(store, organizer, "副主席", ORG, "第二位管理员的登录口令")
    second = login(store, "副主席", "第二位管理员的登录口令")
    operators.remove_operator(store, second, ORGANIZER)
    with pytest.raises(StationError) as err:
        operators.remove_operator(store, second, "副主席")
    assert err.value.key == "cannot_remove_self"


def test_organizer_resets_a_forgotten_pin_and_clears_the_lock(store, organizer, promoter, clock):
    _fail(store, PROMOTER, MAX_FAILURES, clock)
    operators.change_secret(store, organizer, PROMOTER, "470938")
    assert login(store, PROMOTER, "470938", clock=clock).name == PROMOTER


def test_promoter_changes_own_pin_but_not_others(store, organizer, promoter):
    operators.change_secret(store, promoter, PROMOTER, "470938")
    assert login(store, PROMOTER, "470938").name == PROMOTER
    with pytest.raises(StationError) as err:
        operators.change_secret(store, promoter, ORGANIZER, "随便一句很长的口令")
    assert err.value.key == "not_permitted"


# -- recovery ------------------------------------------------------------------------------


def test_recovery_key_opens_the_data_and_sets_a_new_passphrase(store, organizer, recovery_key):
    blob = organizer.cipher.encrypt("members", "id_number", "44190019800101123X")
    session = operators.recover(store, recovery_key, "新的管理员口令2027")
    assert session.cipher.decrypt("members", "id_number", blob) == "44190019800101123X"
    assert login(store, ORGANIZER, "新的管理员口令2027").role == ORG
    with pytest.raises(StationError):
        login(store, ORGANIZER, ORGANIZER_SECRET)


def test_typoed_recovery_key_is_caught_before_the_kdf(store, recovery_key, monkeypatch):
    import station.security.operators as ops

    monkeypatch.setattr(ops, "open_slot", lambda *a, **k: pytest.fail("KDF ran on a mistyped key"))
    bad = recovery_key[:-1] + str((int(recovery_key[-1]) + 1) % 10)
    with pytest.raises(StationError) as err:
        operators.recover(store, bad, "新的管理员口令2027")
    assert err.value.key == "recovery_key_typo" and err.value.params["group"] == 8


def test_well_formed_but_wrong_recovery_key_is_refused(store, recovery_key):
    from station.security.keyslots import new_recovery_key

    with pytest.raises(StationError) as err:
        operators.recover(store, new_recovery_key(), "新的管理员口令2027")
    assert err.value.key == "recovery_key_wrong"


# -- a database from another station ----------------------------------------------------------


def test_store_copied_to_another_station_uuid_is_detected(store, organizer):
    with store.session() as s:
        s.execute(update(StationIdentity).values(uuid="99999999-0000-0000-0000-000000000000"))
        s.commit()
    store._identity = None
    with pytest.raises(StationError) as err:
        login(store, ORGANIZER, ORGANIZER_SECRET)
    assert err.value.key == "slot_other_station"


def test_foreign_slot_does_not_count_as_a_wrong_guess(store, organizer):
    with store.session() as s:
        s.execute(update(StationIdentity).values(uuid="99999999-0000-0000-0000-000000000000"))
        s.commit()
    store._identity = None
    with pytest.raises(StationError):
        login(store, ORGANIZER, ORGANIZER_SECRET)
    with store.session() as s:
        assert s.scalars(select(Operator).where(Operator.name == ORGANIZER)).one().failed_count == 0


def test_slot_opening_a_foreign_data_key_is_refused(store, organizer):
    from station.security.fieldcrypt import FieldCipher
    from station.security.keyslots import make_slot

    with store.session() as s:
        op = s.scalars(select(Operator).where(Operator.name == ORGANIZER)).one()
        for slot in s.scalars(select(KeySlot).where(KeySlot.operator_id == op.id)):
            s.delete(slot)
        s.flush()
        s.add(make_slot(FieldCipher.generate().data_key, ORGANIZER_SECRET, station_uuid=store.identity.uuid,
                        kind="operator", owner=op.uuid, operator_id=op.id))
        s.commit()
    with pytest.raises(StationError) as err:
        login(store, ORGANIZER, ORGANIZER_SECRET)
    assert err.value.key == "slot_wrong_key"
