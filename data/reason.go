package data

import "errors"

// reason returns the cause inside a *fs.PathError ("no such file or
// directory"), since our own message already names the path.
func reason(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}

// ErrFormat is returned for a file the loader cannot read as a report: a
// PDF, an old Word .doc, a damaged .docx, a file type it does not know.
var ErrFormat = errors.New("not a readable report file")
