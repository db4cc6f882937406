package dev.spool.processor.extraction;

import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Counts the pages Tika emits ({@code <div class="page">} in its XHTML) and stops the parse when the page after the
 * limit starts, so a 20,000-page PDF ends early, with the text of its first pages, instead of running until the
 * timeout.
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

        /** Whether {@code thrown} is this, or has it among its causes or wrapped exceptions. */
        static boolean isIn(Throwable thrown) {
            for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
                if (cause instanceof PageLimitReached) {
                    return true;
                }
                if (cause instanceof SAXException sax && sax.getException() != null && sax.getException() != cause
                        && isIn(sax.getException())) {
                    return true;
                }
            }
            return false;
        }
    }
}
