module gosdkvec

go 1.26.0

require github.com/aliyun/aliyun-oss-go-sdk v3.0.2+incompatible

require golang.org/x/time v0.16.0 // indirect
