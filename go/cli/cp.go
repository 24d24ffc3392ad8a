package cli

import "context"

func cpCommand() *command {
	return &command{name: "cp", args: "SRC DST", summary: "copy files to OSS, objects to files, or objects within OSS",
		run: func(ctx context.Context, c *call) error { return usagef("cp: not yet") }}
}

func syncCommand() *command {
	return &command{name: "sync", args: "SRC DST", summary: "make DST like SRC",
		run: func(ctx context.Context, c *call) error { return usagef("sync: not yet") }}
}
