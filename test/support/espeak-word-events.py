"""
espeak-ng's own word events, the reference the word-time estimate is measured against
(test/providers/estimate-word-times.test.ts). The espeak-ng CLI writes no events, so this asks
libespeak-ng (the library the CLI is built on) through ctypes, synthesizing exactly as the CLI
does (same voice, same rate): its audio is the CLI's, sample for sample, without the final silence.

Usage: python3 test/support/espeak-word-events.py VOICE RATE < texts.json > events.json
texts.json is a JSON list of texts; the output lists, per text, its audio's sample count and each
word event: the index of the whitespace-separated word it starts, and its time in seconds.
"""
import ctypes, json, subprocess, sys

lib = ctypes.CDLL('libespeak-ng.so.1')


class Event(ctypes.Structure):
    _fields_ = [('type', ctypes.c_int), ('unique_identifier', ctypes.c_uint), ('text_position', ctypes.c_int),
                ('length', ctypes.c_int), ('audio_position', ctypes.c_int), ('sample', ctypes.c_int),
                ('user_data', ctypes.c_void_p), ('id', ctypes.c_char * 8)]


Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event))
EVENT_WORD, LIST_TERMINATED, AUDIO_OUTPUT_SYNCHRONOUS, RATE, CHARS_UTF8 = 1, 0, 2, 1, 1
voice, rate = sys.argv[1], int(sys.argv[2])
sample_rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0)
state = {'samples': 0, 'events': []}


def on_audio(wav, n, events):
    state['samples'] += max(0, n)
    i = 0
    while events[i].type != LIST_TERMINATED:
        e = events[i]
        if e.type == EVENT_WORD and e.length > 0:
            state['events'].append((e.text_position, e.audio_position))
        i += 1
    return 0


callback = Callback(on_audio)
lib.espeak_SetSynthCallback(callback)
lib.espeak_SetVoiceByName(voice.encode())
lib.espeak_SetParameter(RATE, rate, 0)
out = []
for text in json.load(sys.stdin):
    state['samples'], state['events'] = 0, []
    data = text.encode('utf-8')
    lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, CHARS_UTF8, None, None)
    lib.espeak_Synchronize()
    # which whitespace-separated word each event's character position (1-based) falls in
    starts, at = [], 0
    for k, token in enumerate(text.split()):
        at = text.index(token, at)
        starts.append((at, at + len(token), k))
        at += len(token)
    words = []
    for pos, ms in state['events']:
        k = next((k for a, b, k in starts if a <= pos - 1 < b), None)
        if k is not None and all(w['index'] != k for w in words):
            words.append({'index': k, 'word': text.split()[k], 'start': ms / 1000})
    out.append({'text': text, 'sampleRate': sample_rate, 'samples': state['samples'], 'words': words})
version = subprocess.run(['espeak-ng', '--version'], capture_output=True, text=True).stdout.split(':')[1].split()[0]
json.dump({'espeakNg': version, 'voice': voice, 'rate': rate, 'texts': out}, sys.stdout, indent=1)
print()
