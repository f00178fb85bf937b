"""Frames to codes: the decoder on photographed-phone frames, and the frame sources."""

from __future__ import annotations

import cv2
import pytest
from test_checkin_world import World

from station.checkin import decoder, frames
from station.checkin import synth as scan_synth
from station.errors import StationError


@pytest.fixture
def token(store):
    return World(store).token(member=31415926)


@pytest.mark.parametrize("cls", ["clean", "rotation", "perspective", "jpeg", "noise"])
def test_a_phone_held_up_to_the_camera_is_decoded(token, cls):
    found = [token in decoder.decode(frame).texts for _, frame in scan_synth.frames(token, cls, 4, seed=11)]
    assert sum(found) >= 3


def test_the_pipeline_finds_at_least_what_raw_zxing_finds(token):
    ours = raw = 0
    for cls in ("scale", "low_light", "blur"):
        for _, frame in scan_synth.frames(token, cls, 6, seed=5):
            ours += token in decoder.decode(frame, budget_ms=200).texts
            raw += token in decoder.raw_zxing(frame)
    assert ours >= raw


def test_a_dim_frame_raw_zxing_misses_is_found_by_the_second_tries(token):
    rescued = 0
    for _, frame in scan_synth.frames(token, "low_light", 20, seed=7):
        if token not in decoder.raw_zxing(frame) and token in decoder.decode(frame, budget_ms=200).texts:
            rescued += 1
    assert rescued >= 1


def test_a_frame_without_a_code_stays_within_its_budget():
    result = decoder.decode(scan_synth.blank_frame(4), budget_ms=25)
    assert result.texts == () and result.ms < 25 + 40  # one attempt may be under way when time runs out


def test_grey_and_bgra_frames_decode_too(token):
    _, frame = next(scan_synth.frames(token, "clean", 1))
    assert token in decoder.decode(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)).texts
    assert token in decoder.decode(cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)).texts


def test_image_files_are_read_including_chinese_paths(tmp_path, token):
    _, frame = next(scan_synth.frames(token, "clean", 1))
    path = tmp_path / "会员卡.png"
    ok, buf = cv2.imencode(".png", frame)
    path.write_bytes(buf.tobytes())
    got = list(frames.iter_frames(frames.ImageSource([path])))
    assert len(got) == 1 and token in decoder.decode(got[0]).texts


def test_a_file_that_is_not_an_image_is_a_station_error(tmp_path):
    path = tmp_path / "x.png"
    path.write_text("no")
    with pytest.raises(StationError):
        list(frames.iter_frames(frames.ImageSource([path])))


def test_a_video_file_is_read_frame_by_frame(tmp_path, token):
    clip = [scan_synth.blank_frame(i) for i in range(5)]
    path = tmp_path / "clip.mp4"
    scan_synth.write_video(path, clip)
    assert len(list(frames.iter_frames(frames.source_for(path)))) == 5


def test_a_missing_video_is_a_station_error(tmp_path):
    with pytest.raises(StationError):
        frames.VideoSource(tmp_path / "none.mp4").open()


class _DeadCapture:
    def read(self):
        return False, None

    def release(self):
        pass


def test_a_camera_that_stops_delivering_raises_camera_lost():
    cam = frames.VideoSource(0)
    cam._cap = _DeadCapture()
    with pytest.raises(frames.CameraLost):
        for _ in range(frames.LOST_AFTER_EMPTY_READS + 1):
            assert cam.read().size == 0


def test_candidate_boxes_point_at_the_phone(token):
    shot, frame = next(scan_synth.frames(token, "clean", 1, seed=2))
    gray = decoder.to_gray(frame)
    boxes = decoder.candidate_boxes(gray)
    found = decoder._zx(gray)
    assert boxes and found
