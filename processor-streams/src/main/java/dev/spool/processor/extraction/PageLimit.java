package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;
import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Counts the pages Tika emits ({@code <div class="page">} in its XHTML) and stops the parse beyond the limit, so a
 * 20,000-page PDF ends early instead of running until the timeout.
 */
final class PageLimit extends ContentHandlerDecorator {

    private final int maxPages;
    private int pages;

    PageLimit(ContentHandler handler, int maxPages) {
        super(handler);
        this.maxPages = maxPages;
    }

    @Override
    public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
        if ("div".equals(localName) && "page".equals(atts.getValue("class")) && ++pages > maxPages) {
            throw new PageLimitReached(maxPages);
        }
        super.startElement(uri, localName, name, atts);
    }

    /** Thrown through the parser to stop it; recognised by its type among the causes of what the parser throws. */
    static final class PageLimitReached extends SAXException {

        private static final long serialVersionUID = 1L;

        PageLimitReached(int maxPages) {
            super("more than " + maxPages + " pages");
        }

        static ExtractionRefusedException find(Throwable thrown) {
            for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
                if (cause instanceof PageLimitReached reached) {
                    return new ExtractionRefusedException(ErrorCode.TOO_LARGE_TO_EXTRACT,
                            "the document has " + reached.getMessage());
                }
                if (cause instanceof SAXException sax && sax.getException() != null && sax.getException() != cause) {
                    ExtractionRefusedException inner = find(sax.getException());
                    if (inner != null) {
                        return inner;
                    }
                }
            }
            return null;
        }
    }
}
