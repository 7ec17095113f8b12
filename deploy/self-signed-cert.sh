#!/bin/sh
# A self-signed certificate for trying Accord, made only when the operator has not provided one.
# The proxy container runs this at start (/docker-entrypoint.d); by hand: ACCORD_CERT_DIR=deploy/certs sh deploy/self-signed-cert.sh
set -eu
dir="${ACCORD_CERT_DIR:-/etc/nginx/certs}"
name="${ACCORD_CERT_NAME:-localhost}"
if [ -s "$dir/accord.crt" ] && [ -s "$dir/accord.key" ]; then
    exit 0
fi
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 90 -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/accord.key" -out "$dir/accord.crt" 2>/dev/null
chmod 644 "$dir/accord.crt"
echo "accord: made a self-signed certificate for $name in $dir; put your own accord.crt and accord.key there for real use"
