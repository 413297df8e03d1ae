"""The testbed's messages between edge and cloud, over one TCP connection that stays open (TCP_NODELAY both ways).

* Offload (edge -> cloud): a 40-byte header (image id, split index, dtype, up to 4 dimensions, payload bytes),
  then the tensor's raw bytes in memory order, sent with one sendmsg from the tensor's own memory (no copy, no
  pickling). The cloud receives into a fresh buffer and views it as a tensor of that dtype and shape.
* Result (cloud -> edge): image id, the cloud's timestamps (tensor fully received, computation start and end) and
  the predicted class: 36 bytes.

Timestamps are CLOCK_MONOTONIC seconds (``now()``), one clock for every process on the machine, whatever network
namespace it is in. Library module; nothing to run.
"""
import socket
import struct
import time

import torch

OFFLOAD = struct.Struct("!QIBB4IQ2x")  # image, split, dtype code, ndim, dims (0-padded), payload bytes; pad to 40
RESULT = struct.Struct("!QdddI")  # image, t_received, t_cloud_start, t_cloud_done, class

DTYPE_CODES = {torch.float32: 0, torch.float64: 1, torch.float16: 2, torch.bfloat16: 3}
CODE_DTYPES = {v: k for k, v in DTYPE_CODES.items()}


def now():
    """CLOCK_MONOTONIC seconds, comparable across the testbed's processes."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def tune(sock):
    """No Nagle: a small result must not wait for an ACK."""
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def recv_exact(sock, n):
    """Exactly n bytes into a new bytearray, or None on a clean end of stream before the first byte."""
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            if got == 0:
                return None
            raise ConnectionError(f"connection closed after {got} of {n} bytes")
        got += k
    return buf


def send_tensor(sock, image_id, split, tensor):
    """Send one offload: header and raw bytes; returns the payload bytes."""
    t = tensor.contiguous()
    if t.dim() > 4:
        raise ValueError(f"tensors of at most 4 dimensions can be sent (got {t.dim()})")
    dims = list(t.shape) + [0] * (4 - t.dim())
    payload = t.view(torch.uint8).numpy() if t.numel() else b""
    nbytes = t.numel() * t.element_size()
    sock.sendmsg([OFFLOAD.pack(image_id, split, DTYPE_CODES[t.dtype], t.dim(), *dims, nbytes), payload])
    return nbytes


def recv_tensor(sock):
    """One offload: (image id, split, tensor, CLOCK_MONOTONIC time its last byte arrived), or None at the end."""
    head = recv_exact(sock, OFFLOAD.size)
    if head is None:
        return None
    image_id, split, code, ndim, d0, d1, d2, d3, nbytes = OFFLOAD.unpack(head)
    payload = recv_exact(sock, nbytes) if nbytes else bytearray()
    if payload is None:
        raise ConnectionError("connection closed before the tensor")
    received = now()
    shape = (d0, d1, d2, d3)[:ndim]
    tensor = torch.frombuffer(payload, dtype=CODE_DTYPES[code]).reshape(shape) if nbytes else torch.empty(shape)
    return image_id, split, tensor, received


def send_result(sock, image_id, received, started, done, label):
    sock.sendall(RESULT.pack(image_id, received, started, done, label))


def recv_result(sock):
    """(image id, t_received, t_cloud_start, t_cloud_done, class), or None at the end."""
    buf = recv_exact(sock, RESULT.size)
    return None if buf is None else RESULT.unpack(buf)
