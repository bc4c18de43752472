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
