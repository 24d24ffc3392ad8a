module github.com/pyjindo/pyjindo

go 1.26
