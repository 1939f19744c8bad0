"""An upload handler that stops storing files once the whole upload passes its size limit.

Django streams files to memory or a private temporary file (mode 0600, deleted after the
request); this handler runs first and refuses, chunk by chunk, anything past
`limits.MAX_UPLOAD_BYTES`, so a huge upload never reaches the disk or the database. The names of
the files cut off are kept on the request for the form's message. (Put a body-size limit on the
reverse proxy too, e.g. nginx `client_max_body_size 101m`, so the rest isn't even read.)
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from . import limits


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0
        request.import_cut_off = []

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.received > limits.MAX_UPLOAD_BYTES:
            self.request.import_cut_off.append(self.file_name)
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > limits.MAX_UPLOAD_BYTES:
            self.request.import_cut_off.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
