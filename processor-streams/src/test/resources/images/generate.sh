#!/usr/bin/env bash
# Generates the image fixtures of the image-metadata tests: ImageMagick draws the pixels, exiftool writes the
# EXIF, XMP and IPTC metadata, as cameras and photo tools do. The generated files are committed, so the build needs
# neither tool; run this again only to change a fixture, and commit what it writes.
#
# Written with: exiftool 12.57 and ImageMagick 6.9.11-60 Q16 with libheif 1.15.1 and libwebp 1.2.4 (Debian 12
# packages libimage-exiftool-perl and imagemagick; install with: apt-get install -y libimage-exiftool-perl
# imagemagick).
#
# Usage: ./generate.sh   (writes into the folder this script is in)
set -euo pipefail
cd "$(dirname "$0")"

# The same pixels every time: a gradient, no timestamps or comments from ImageMagick.
pixels() {
    convert -size "$1" gradient:steelblue-khaki -strip -define png:exclude-chunks=date,time "$2"
}

# exiftool writes text as UTF-8 unless told otherwise; -overwrite_original leaves no *_original copies behind.
tag() {
    exiftool -q -overwrite_original -charset exif=utf8 -charset iptc=utf8 "$@"
}

# A photo as a phone or camera writes it, captioned in a photo manager: every field the result carries. The same
# caption in EXIF, XMP and IPTC (the text keeps it once); non-ASCII text; IPTC marked UTF-8 (record 1:90);
# orientation 6 (rotate 90 degrees clockwise to view); capture time with its offset; GPS with altitude.
pixels 64x48 captioned.jpg
tag -all= \
    -EXIF:Make='Fujifilm' -EXIF:Model='X-T30' \
    -EXIF:Orientation#=6 \
    -EXIF:DateTimeOriginal='2024:06:15 18:42:07' -EXIF:OffsetTimeOriginal='+02:00' \
    -EXIF:ImageDescription='Fähre über den Rhein bei Köln' \
    -EXIF:GPSLatitude=50.9413 -EXIF:GPSLatitudeRef=N \
    -EXIF:GPSLongitude=6.9583 -EXIF:GPSLongitudeRef=E \
    -EXIF:GPSAltitude=53.5 -EXIF:GPSAltitudeRef#=0 \
    -XMP-dc:Title='Abendfähre' \
    -XMP-dc:Description='Fähre über den Rhein bei Köln' \
    -XMP-dc:Subject='Fähre' -XMP-dc:Subject='Rhein' -XMP-dc:Subject='Köln' \
    -IPTC:CodedCharacterSet=UTF8 \
    -IPTC:Caption-Abstract='Fähre über den Rhein bei Köln' \
    -IPTC:Headline='Die letzte Fähre des Tages' \
    -IPTC:Keywords='Fähre' -IPTC:Keywords='Rhein' -IPTC:Keywords='Sommer' \
    captioned.jpg

# IPTC and EXIF as older tools wrote them: Latin-1 bytes, and no IPTC record 1:90 saying so.
pixels 40x30 latin1-iptc.jpg
exiftool -q -overwrite_original -all= -charset iptc=latin -charset exif=latin \
    -EXIF:ImageDescription='Café crème à Paris' \
    -IPTC:Caption-Abstract='Café crème à Paris' -IPTC:Headline='Crème brûlée' \
    -IPTC:Keywords='café' -IPTC:Keywords='été' \
    latin1-iptc.jpg

# Two tools disagree: EXIF says one thing, XMP another. Both are searchable; XMP, the newer, is the description.
pixels 32x32 conflicting.jpg
tag -all= \
    -EXIF:ImageDescription='Harbour at dawn' \
    -XMP-dc:Description='Fishing boats leaving the harbour' \
    conflicting.jpg

# No metadata at all.
pixels 20x10 bare.jpg
exiftool -q -overwrite_original -all= bare.jpg
pixels 20x10 bare.png

# The other formats ingest accepts, with what their writers usually carry: PNG with XMP (iTXt) and EXIF (eXIf);
# TIFF with EXIF and XMP in its IFD; WebP with EXIF and XMP chunks.
pixels 48x36 tagged.png
tag -EXIF:Make='Canon' -EXIF:Model='Canon EOS R6' -EXIF:DateTimeOriginal='2023:12:24 09:15:00' \
    -XMP-dc:Title='Weihnachtsmarkt' -XMP-dc:Description='Stände im Schnee' \
    tagged.png

convert -size 48x36 gradient:steelblue-khaki -strip -compress zip tagged.tif
tag -EXIF:Make='Nikon' -EXIF:Model='Z 6' -EXIF:Orientation#=3 \
    -EXIF:DateTimeOriginal='2022:03:01 12:00:00' -EXIF:OffsetTimeOriginal='-05:00' \
    -XMP-dc:Title='Scan of a postcard' -XMP-dc:Subject='postcard' \
    tagged.tif

convert -size 48x36 gradient:steelblue-khaki -strip -quality 50 tagged.webp
tag -EXIF:Make='Google' -EXIF:Model='Pixel 8' -EXIF:DateTimeOriginal='2025:01:02 03:04:05' \
    -XMP-dc:Description='Snow on the Brandenburger Tor' \
    -EXIF:GPSLatitude=52.5163 -EXIF:GPSLatitudeRef=N -EXIF:GPSLongitude=13.3777 -EXIF:GPSLongitudeRef=E \
    tagged.webp

# HEIC, as iPhones write it (ImageMagick through libheif 1.15.1), with EXIF and XMP.
convert -size 48x36 gradient:steelblue-khaki -strip -quality 50 tagged.heic
tag -EXIF:Make='Apple' -EXIF:Model='iPhone 15' -EXIF:Orientation#=6 \
    -EXIF:DateTimeOriginal='2025:05:04 07:30:00' -EXIF:OffsetTimeOriginal='+01:00' \
    -XMP-dc:Description='Kaffee am Morgen' \
    tagged.heic

ls -l ./*.jpg ./*.png ./*.tif ./*.webp ./*.heic
