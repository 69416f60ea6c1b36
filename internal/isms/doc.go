// Package isms is the domain of OpenISMS: entity types, their validation,
// state rules, the Error type and the Clock.
//
// It imports only the standard library. Nothing here touches a database, the
// network or the file system; every other package depends on this one and
// this one depends on none of them.
package isms
